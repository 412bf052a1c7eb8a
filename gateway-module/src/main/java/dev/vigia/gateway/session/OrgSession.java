package dev.vigia.gateway.session;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import java.time.Instant;

/**
 * One org's state as the {@link SessionTable} holds it. Read anywhere on the gateway's context;
 * changed only by the table (its fields are not visible outside this package).
 */
public final class OrgSession {

  final String org;
  SessionState state = SessionState.STOPPED;
  Instant since;
  Cause cause;
  SessionView.QrCode qr;
  SessionView.PairingCode pairingCode;
  SessionView.Me me;
  Instant lastConnectedAt;
  Instant lastActivityAt;
  SessionView.Reconnect reconnect;
  boolean connectionWanted;
  long seq;

  OrgSession(String org) {
    this.org = org;
  }

  static OrgSession from(SessionRecord r) {
    OrgSession s = new OrgSession(r.org());
    s.state = r.state() == null ? SessionState.STOPPED : r.state();
    s.since = r.since();
    s.cause = r.cause();
    s.me = r.me();
    s.lastConnectedAt = r.lastConnectedAt();
    s.lastActivityAt = r.lastActivityAt();
    s.connectionWanted = r.connectionWanted();
    s.seq = r.seq();
    return s;
  }

  SessionRecord toRecord() {
    return new SessionRecord(org, state, since, cause, me, lastConnectedAt, lastActivityAt,
        connectionWanted, seq);
  }

  public String org() {
    return org;
  }

  public SessionState state() {
    return state;
  }

  public Cause cause() {
    return cause;
  }

  /** Whether a connection is wanted: a restart reopens it. */
  public boolean connectionWanted() {
    return connectionWanted;
  }

  /** The {@code seq} of the last published change (a decision names the one it was made for). */
  public long seq() {
    return seq;
  }

  /** What a caller sees; the QR and pairing code only while they are pending. */
  public SessionView view() {
    return new SessionView(org, state, since, cause,
        state == SessionState.QR_REQUIRED ? qr : null, me, lastConnectedAt, lastActivityAt,
        reconnect, null, state == SessionState.PAIRING_CODE ? pairingCode : null);
  }
}
