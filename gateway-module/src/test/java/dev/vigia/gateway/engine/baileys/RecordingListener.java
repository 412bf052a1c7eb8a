package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.Cause;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.EngineListener;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects what an engine session reports, for a test thread to wait on. */
final class RecordingListener implements EngineListener {

  final BlockingQueue<Cause> closes = new LinkedBlockingQueue<>();
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @Override
  public void onQr(String payload, Instant expiresAt) {
    events.add("qr");
  }

  @Override
  public void onPairingCode(String code, Instant expiresAt) {
    events.add("pairing_code");
  }

  @Override
  public void onOpen(SessionView.Me me) {
    events.add("open");
  }

  @Override
  public void onClose(Cause cause) {
    events.add("close");
    closes.add(cause);
  }

  @Override
  public void onActivity(Activity activity) {
    events.add("activity " + activity.kind());
  }

  Cause nextClose(long seconds) throws InterruptedException {
    Cause cause = closes.poll(seconds, TimeUnit.SECONDS);
    if (cause == null) {
      throw new AssertionError("no close within " + seconds + " s; saw " + events);
    }
    return cause;
  }
}
