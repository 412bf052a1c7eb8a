package dev.vigia.monitor.policy;

import java.time.Instant;

/**
 * What the monitor does about one state change. Each decision carries the sentence the journal
 * shows an operator, and the alert it raises (null: none).
 */
public sealed interface Decision {

  String reason();

  AlertKind alert();

  /** Open the connection at once (515: WhatsApp asked for a fresh one). */
  record ConnectNow(String reason) implements Decision {
    public AlertKind alert() {
      return null;
    }
  }

  /** Show {@code RECONNECTING} with this attempt, and connect at {@code nextAt}. */
  record RetryLater(int attempt, Instant nextAt, String reason) implements Decision {
    public AlertKind alert() {
      return null;
    }
  }

  /** Give up: the session goes {@code FAILED} (if it is not already) and a person is told. */
  record Fail(AlertKind alert, String reason) implements Decision {}

  /** The session is {@code STOPPED}; nothing to retry. */
  record Stop(String reason) implements Decision {
    public AlertKind alert() {
      return null;
    }
  }

  /** Leave the session as the gateway put it (conflict, logged out, banned): a person decides. */
  record AwaitPerson(AlertKind alert, String reason) implements Decision {}

  /** The link failed right after the scan: archive the credentials and offer a new QR. */
  record ArchiveAndOfferQr(String reason) implements Decision {
    public AlertKind alert() {
      return null;
    }
  }

  /** Nothing to do (an echo of the monitor's own command, a QR rotation, …). */
  record Ignore(String reason) implements Decision {
    public AlertKind alert() {
      return null;
    }
  }
}
