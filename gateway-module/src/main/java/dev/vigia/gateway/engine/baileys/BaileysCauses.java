package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.Cause;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps what Baileys reports at a close ({@code lastDisconnect.error}) to a {@link Cause}. */
final class BaileysCauses {

  private BaileysCauses() {}

  /** The cause when the Node process itself stopped: transient, the monitor reconnects. */
  static Cause engineStopped() {
    return new Cause(503, Cause.UNAVAILABLE, "The WhatsApp engine stopped; it is being restarted");
  }

  /** The text inside Baileys' {@code WebSocket Error (…)}: says what failed and where. */
  private static final Pattern SOCKET_ERROR = Pattern.compile("WebSocket Error \\((.{1,160})\\)");

  /** As {@link #of(Integer, String, String, String)} for a close the bridge gave no reason. */
  static Cause of(Integer code, String message, String errno) {
    return of(code, message, errno, null);
  }

  /**
   * @param code Boom's {@code output.statusCode}, or null
   * @param message the error's message
   * @param errno the socket error's code ({@code ECONNREFUSED}, {@code ENOTFOUND}…), or null
   * @param reason the bridge's own reason for a close it caused ({@code creds_write_failed}), or null
   */
  static Cause of(Integer code, String message, String errno, String reason) {
    if (Cause.CREDS_WRITE_FAILED.equals(reason)) {
      // no code: transient; the monitor retries once the store writes again
      return new Cause(null, Cause.CREDS_WRITE_FAILED, clip(message == null
          ? "Credentials could not be saved" : message));
    }
    if (message != null && message.contains("QR refs attempts ended")) {
      return Cause.qrExpired();
    }
    if (errno != null && errno.matches("E[A-Z_]+")) {
      // Baileys reports socket errors as 408; they are the network, not a lost session
      Matcher m = SOCKET_ERROR.matcher(message == null ? "" : message);
      String what = m.find() && m.group(1).contains(errno) ? m.group(1) : errno;
      return new Cause(null, Cause.NETWORK_DOWN, "Network unreachable (" + what + ")");
    }
    if (code == null) {
      return Cause.networkDown();
    }
    return switch (code) {
      case 515 -> Cause.restartRequired();
      case 428 -> Cause.connectionClosed();
      case 408 -> Cause.connectionLost();
      case 440 -> Cause.conflict();
      case 401 -> Cause.loggedOut();
      case 500 -> Cause.badSession();
      case 503 -> Cause.unavailable();
      case 402, 403, 406 -> Cause.banned(code);
      case 405, 411 -> Cause.outdated(code);
      default -> new Cause(code, Cause.CONNECTION_CLOSED, message == null ? "Connection Closed"
          : clip(message));
    };
  }

  private static String clip(String message) {
    return message.length() > 200 ? message.substring(0, 200) : message;
  }
}
