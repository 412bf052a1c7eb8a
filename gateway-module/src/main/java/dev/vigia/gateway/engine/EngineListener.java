package dev.vigia.gateway.engine;

import dev.vigia.common.Cause;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import java.time.Instant;

/** What an engine reports about one session; all calls arrive on the gateway's context. */
public interface EngineListener {

  /** A new QR to show (each rotation calls this again). */
  void onQr(String payload, Instant expiresAt);

  /** The code to type on the phone. */
  void onPairingCode(String code, Instant expiresAt);

  /** Linked and online. */
  void onOpen(SessionView.Me me);

  /** The connection closed with this cause; the session object is finished. */
  void onClose(Cause cause);

  /** A message sent or failed, a decrypt failure, a keep-alive. */
  void onActivity(Activity activity);
}
