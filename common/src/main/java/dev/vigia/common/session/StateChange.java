package dev.vigia.common.session;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.time.Instant;

/**
 * One transition of one org's session, published on {@link #ADDRESS} and on
 * {@link #addressFor(String)}. {@code seq} grows by one per org, so a reader sees gaps and order.
 * A QR rotation is a change from {@code QR_REQUIRED} to {@code QR_REQUIRED} with the new payload.
 * {@code node}: in cluster mode, the node whose gateway made the change (null on a single node;
 * optional, so readers of older changes are unaffected).
 * The gateway publishes it as JSON text ({@code Json.toBuffer}), encoded once for every listener;
 * read it with {@code Json.fromBody(body, StateChange.class)}, which also takes a JsonObject.
 */
public record StateChange(
    String org,
    SessionState from,
    SessionState to,
    Cause cause,
    SessionView.QrCode qr,
    SessionView.PairingCode pairingCode,
    SessionView.Me me,
    SessionView.Reconnect reconnect,
    Instant at,
    long seq,
    String node) {

  /** A change on a single node (no node id). */
  public StateChange(String org, SessionState from, SessionState to, Cause cause,
      SessionView.QrCode qr, SessionView.PairingCode pairingCode, SessionView.Me me,
      SessionView.Reconnect reconnect, Instant at, long seq) {
    this(org, from, to, cause, qr, pairingCode, me, reconnect, at, seq, null);
  }

  public static final String ADDRESS = "vigia.session.state";

  public static String addressFor(String org) {
    return ADDRESS + "." + org;
  }

  /** Whether it carries a QR or a pairing code, which only the org's own address may. */
  public boolean hasSecrets() {
    return qr != null || pairingCode != null;
  }

  /** The same change with its secrets (QR, pairing code) removed: for journals and logs. */
  public StateChange withoutSecrets() {
    return new StateChange(org, from, to, cause, null, null, me, reconnect, at, seq, node);
  }
}
