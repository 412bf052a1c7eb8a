package dev.vigia.common.monitor;

import dev.vigia.common.SessionState;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/maintenance/stale}: sessions not connected and idle for {@code staleDays}. */
public record StaleList(int staleDays, List<Candidate> candidates) {

  public record Candidate(String org, SessionState state, Instant lastActivityAt, long idleDays) {}
}
