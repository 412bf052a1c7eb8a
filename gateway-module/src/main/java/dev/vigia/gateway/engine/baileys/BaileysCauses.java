package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.Cause;

/** Maps what Baileys reports at a close ({@code lastDisconnect.error}) to a {@link Cause}. */
final class BaileysCauses {

  private BaileysCauses() {}

  /** The cause when the Node process itself stopped: transient, the monitor reconnects. */
  static Cause engineStopped() {
    return new Cause(503, Cause.UNAVAILABLE, "The WhatsApp engine stopped; it is being restarted");
  }

  /**
   * @param code Boom's {@code output.statusCode}, or null
   * @param message the error's message
   * @param errno the socket error's code ({@code ECONNREFUSED}, {@code ENOTFOUND}…), or null
   */
  static Cause of(Integer code, String message, String errno) {
    if (message != null && message.contains("QR refs attempts ended")) {
      return Cause.qrExpired();
    }
    if (errno != null && errno.matches("E[A-Z_]+")) {
      // Baileys reports socket errors as 408; they are the network, not a lost session
      return new Cause(null, Cause.NETWORK_DOWN, "Network unreachable (" + errno + ")");
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
          : message.length() > 200 ? message.substring(0, 200) : message);
    };
  }
}
