package dev.vigia.gateway.session;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import java.time.Instant;

/**
 * What the gateway remembers of one org across restarts: its last state and why, the linked
 * account, and whether a connection is wanted (then a restart opens it again). Never holds a QR
 * or credentials. {@code seq} is the last published {@code StateChange.seq}.
 */
public record SessionRecord(
    String org,
    SessionState state,
    Instant since,
    Cause cause,
    SessionView.Me me,
    Instant lastConnectedAt,
    Instant lastActivityAt,
    boolean connectionWanted,
    long seq) {}
