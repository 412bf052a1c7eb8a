package dev.vigia.common.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;

/**
 * The monitor's decision about a session that is not live: {@code RECONNECTING} with the next
 * attempt, {@code FAILED}, or {@code STOPPED}. The gateway records it and publishes the change;
 * it opens nothing by itself (the monitor sends {@code connect} when the attempt is due).
 *
 * <p>{@code forSeq} is the {@code seq} of the state the decision was made for (DESIGN §4): when
 * the session has changed since (a person cleared it, say), the gateway refuses the decision with
 * 409 instead of overwriting the newer state. {@code null} only from callers that decide nothing
 * (tests, tools).
 */
public record SettleRequest(String org, SessionState state, Cause cause,
    SessionView.Reconnect reconnect, String actor, Long forSeq) {
  public static final String ADDRESS = GatewayAddresses.SETTLE;

  public SettleRequest(String org, SessionState state, Cause cause,
      SessionView.Reconnect reconnect, String actor) {
    this(org, state, cause, reconnect, actor, null);
  }
}
