package dev.vigia.common.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;

/**
 * The monitor's decision about a session that is not live: {@code RECONNECTING} with the next
 * attempt, {@code FAILED}, or {@code STOPPED}. The gateway records it and publishes the change;
 * it opens nothing by itself (the monitor sends {@code connect} when the attempt is due).
 */
public record SettleRequest(String org, SessionState state, Cause cause,
    SessionView.Reconnect reconnect, String actor) {
  public static final String ADDRESS = GatewayAddresses.SETTLE;
}
