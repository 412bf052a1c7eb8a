package dev.vigia.common.session;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.time.Instant;

/**
 * What anyone may know of one org's session (DESIGN §5). {@code qr} and {@code pairingCode} are
 * secrets of that org: lists and API keys get {@link #withoutSecrets()}.
 */
public record SessionView(
    String org,
    SessionState state,
    Instant since,
    Cause cause,
    QrCode qr,
    Me me,
    Instant lastConnectedAt,
    Instant lastActivityAt,
    Reconnect reconnect,
    String health,
    PairingCode pairingCode,
    String node) {

  /** A view on a single node: {@code node} (cluster mode: the node that owns the org) is null. */
  public SessionView(String org, SessionState state, Instant since, Cause cause, QrCode qr, Me me,
      Instant lastConnectedAt, Instant lastActivityAt, Reconnect reconnect, String health,
      PairingCode pairingCode) {
    this(org, state, since, cause, qr, me, lastConnectedAt, lastActivityAt, reconnect, health,
        pairingCode, null);
  }

  /** The same view, owned by {@code node} (cluster mode). */
  public SessionView onNode(String node) {
    return new SessionView(org, state, since, cause, qr, me, lastConnectedAt, lastActivityAt,
        reconnect, health, pairingCode, node);
  }

  /** A QR payload to draw, and when it stops being valid. */
  public record QrCode(String payload, Instant expiresAt) {}

  /** The pairing code to type on the phone, and when it stops being valid. */
  public record PairingCode(String code, Instant expiresAt) {}

  /** The linked WhatsApp account. */
  public record Me(String jid, String name) {}

  /** The next automatic attempt. */
  public record Reconnect(int attempt, Instant nextAt) {}

  /** The same view without the QR and the pairing code. */
  public SessionView withoutSecrets() {
    return new SessionView(org, state, since, cause, null, me, lastConnectedAt, lastActivityAt,
        reconnect, health, null, node);
  }
}
