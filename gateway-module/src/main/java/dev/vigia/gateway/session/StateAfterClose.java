package dev.vigia.gateway.session;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;

/**
 * The state that states the fact of an engine close. Mechanism only: none of these reconnects;
 * the monitor reads the published change and decides.
 */
public final class StateAfterClose {

  private StateAfterClose() {}

  public static SessionState of(Cause cause) {
    Integer code = cause == null ? null : cause.code();
    if (code == null) {
      // network errors carry no code: transient
      return SessionState.RECONNECTING;
    }
    return switch (code) {
      case 440 -> SessionState.CONFLICT; // another client holds these credentials
      case 401 -> SessionState.LOGGED_OUT; // the phone or WhatsApp removed this device
      case 402, 403, 406 -> SessionState.BANNED; // account restricted
      case 405, 411 -> SessionState.FAILED; // client outdated: retrying cannot help
      case 408 -> Cause.QR_EXPIRED.equals(cause.reason())
          ? SessionState.STOPPED // nobody scanned: no endless QR loop
          : SessionState.RECONNECTING;
      default -> SessionState.RECONNECTING; // 515, 428, 503, 500 and the rest
    };
  }
}
