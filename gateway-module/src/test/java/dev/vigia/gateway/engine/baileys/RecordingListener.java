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
  final BlockingQueue<String> qrs = new LinkedBlockingQueue<>();
  final BlockingQueue<String> codes = new LinkedBlockingQueue<>();
  final BlockingQueue<SessionView.Me> opens = new LinkedBlockingQueue<>();
  final BlockingQueue<Activity> activities = new LinkedBlockingQueue<>();

  @Override
  public void onQr(String payload, Instant expiresAt) {
    events.add("qr");
    qrs.add(payload);
  }

  @Override
  public void onPairingCode(String code, Instant expiresAt) {
    events.add("pairing_code");
    codes.add(code);
  }

  @Override
  public void onOpen(SessionView.Me me) {
    events.add("open");
    opens.add(me);
  }

  @Override
  public void onClose(Cause cause) {
    events.add("close");
    closes.add(cause);
  }

  @Override
  public void onActivity(Activity activity) {
    events.add("activity " + activity.kind());
    activities.add(activity);
  }

  static <T> T next(BlockingQueue<T> queue, long seconds) throws InterruptedException {
    T value = queue.poll(seconds, TimeUnit.SECONDS);
    if (value == null) {
      throw new AssertionError("nothing within " + seconds + " s");
    }
    return value;
  }

  Cause nextClose(long seconds) throws InterruptedException {
    Cause cause = closes.poll(seconds, TimeUnit.SECONDS);
    if (cause == null) {
      throw new AssertionError("no close within " + seconds + " s; saw " + events);
    }
    return cause;
  }
}
