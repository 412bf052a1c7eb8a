package dev.vigia.monitor.policy;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.StateChange;
import java.time.Instant;

/**
 * One state change as the policy sees it.
 *
 * @param from the state before (null when unknown)
 * @param state the state the gateway published
 * @param cause why (null when the gateway gave none)
 * @param reconnectScheduled the change carries {@code reconnect}: the echo of the monitor's own
 *     settle, already decided
 * @param history what happened to this org before this change
 * @param now the monitor's clock
 */
public record PolicyInput(
    SessionState from,
    SessionState state,
    Cause cause,
    boolean reconnectScheduled,
    OrgHistory history,
    Instant now) {

  public static PolicyInput of(StateChange change, OrgHistory history, Instant now) {
    return new PolicyInput(change.from(), change.to(), change.cause(), change.reconnect() != null,
        history, now);
  }
}
