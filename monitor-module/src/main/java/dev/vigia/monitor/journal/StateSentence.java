package dev.vigia.monitor.journal;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.StateChange;

/** A state change told in one sentence an operator understands, for the journal. */
public final class StateSentence {

  private StateSentence() {}

  public static String of(StateChange change) {
    Cause cause = change.cause();
    SessionState to = change.to();
    if (to == null) {
      return "State change without a state";
    }
    return switch (to) {
      case STOPPED -> is(cause, Cause.QR_EXPIRED)
          ? "Nobody scanned the QR codes in time" + code(cause) + "; session stopped"
          : is(cause, Cause.USER_REQUEST)
              ? "Stopped at a person's request" + detail(cause)
              : "Session stopped" + detail(cause);
      case STARTING -> is(cause, Cause.ARCHIVE_RESTORED)
          ? "Opening the connection from a restored archive: " + cause.message()
          : "Opening the connection";
      case QR_REQUIRED -> change.from() == SessionState.QR_REQUIRED
          ? "New QR code shown; the previous one expired"
          : "Waiting for a phone to scan the QR code";
      case PAIRING_CODE -> "Waiting for the pairing code to be typed on the phone";
      case CONNECTED -> is(cause, Cause.RESTORED)
          ? "Connected again after a restart, without a new QR"
          : "Connected to WhatsApp";
      case RECONNECTING -> change.reconnect() != null
          ? "Reconnect attempt " + change.reconnect().attempt() + " scheduled for "
              + change.reconnect().nextAt()
          : "Connection closed: " + words(cause);
      case CONFLICT -> "Another client took over these credentials" + code(cause);
      case LOGGED_OUT -> "This device was logged out by the phone or WhatsApp" + code(cause);
      case BANNED -> "WhatsApp restricted this account" + code(cause);
      case FAILED -> "Session failed: " + words(cause);
    };
  }

  private static String words(Cause cause) {
    if (cause == null || cause.reason() == null) {
      return "no cause given";
    }
    return switch (cause.reason()) {
      case Cause.RESTART_REQUIRED -> "WhatsApp asked for a restart" + code(cause);
      case Cause.CONNECTION_CLOSED -> "closed by WhatsApp" + code(cause);
      case Cause.CONNECTION_LOST -> "the connection was lost" + code(cause);
      case Cause.UNAVAILABLE -> "WhatsApp's service is unavailable" + code(cause);
      case Cause.NETWORK_DOWN -> "the network is down";
      case Cause.BAD_SESSION -> "WhatsApp rejected the stored session" + code(cause);
      case Cause.OUTDATED -> "this client is outdated" + code(cause);
      case Cause.ENGINE_UNAVAILABLE -> "the WhatsApp engine is not available";
      case Cause.CREDS_WRITE_FAILED -> "the credentials could not be saved";
      case Cause.ENGINE_RESTART -> "the WhatsApp engine was restarted by an operator";
      case Cause.ARCHIVE_FAILED -> "logged out (401) and the credentials could not be archived;"
          + " clear the session";
      default -> (cause.message() == null ? cause.reason() : cause.message()) + code(cause);
    };
  }

  private static boolean is(Cause cause, String reason) {
    return cause != null && reason.equals(cause.reason());
  }

  private static String code(Cause cause) {
    return cause == null || cause.code() == null ? "" : " (" + cause.code() + ")";
  }

  private static String detail(Cause cause) {
    return cause == null || cause.message() == null ? "" : ": " + cause.message();
  }
}
