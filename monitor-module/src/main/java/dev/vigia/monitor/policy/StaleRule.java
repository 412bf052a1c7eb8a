package dev.vigia.monitor.policy;

import dev.vigia.common.SessionState;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.session.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * DESIGN §3, the stale row: a session at rest (not connected, nothing automatic pending) with
 * no activity, connection or state change for {@code staleDays} is archived and removed.
 */
public final class StaleRule {

  private StaleRule() {}

  /** True when the reaper should archive and remove this session now. */
  public static boolean isStale(SessionView v, Instant now, int staleDays) {
    return candidate(v, now, staleDays).isPresent();
  }

  /** The reaper's dry-run entry for {@code v}, or empty when it is not stale. */
  public static Optional<StaleList.Candidate> candidate(SessionView v, Instant now,
      int staleDays) {
    Instant last = latest(latest(v.lastActivityAt(), v.lastConnectedAt()), v.since());
    Instant cutoff = now.minus(Duration.ofDays(staleDays));
    if (!isRest(v.state()) || last == null || !last.isBefore(cutoff)) {
      return Optional.empty();
    }
    return Optional.of(new StaleList.Candidate(v.org(), v.state(), last,
        Duration.between(last, now).toDays()));
  }

  // connecting, linking or reconnecting sessions are busy, not stale
  private static boolean isRest(SessionState s) {
    return s == SessionState.STOPPED || s == SessionState.FAILED || s == SessionState.CONFLICT
        || s == SessionState.LOGGED_OUT || s == SessionState.BANNED;
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
