package dev.vigia.monitor.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Everything the monitor asks of the gateway, in one place. The jobs (reconnect, decrypt watch,
 * health, stale reaper) call only this, so each is tested with a fake instead of a running bus;
 * {@link BusGatewayCommands} is the one implementation over the event bus. A failure is always a
 * {@link GatewayError}.
 */
public interface GatewayCommands {

  /**
   * Opens the org's session by QR, as the monitor's reconnect decided for the state {@code forSeq}
   * (the gateway refuses with 409 when the session has changed since).
   */
  Future<Void> connect(String org, long forSeq);

  /**
   * Records the monitor's decision about a session that is not live: {@code RECONNECTING} with
   * the next attempt, {@code FAILED} or {@code STOPPED}; refused with 409 when the session is no
   * longer at {@code forSeq}.
   */
  Future<Void> settle(String org, SessionState state, Cause cause, SessionView.Reconnect reconnect,
      long forSeq);

  /** Archives the org's auth state; the session becomes {@code STOPPED}. */
  Future<Void> clear(String org, String reason);

  /** Resets one contact's Signal session; the login stays. */
  Future<Void> repair(String org, String contact, String reason);

  /** Drops the record of an org whose auth state is already archived (the stale reaper). */
  Future<Void> forget(String org);

  /** Deletes archived auth states older than {@code olderThan}; completes with how many. */
  Future<Integer> purgeArchives(Instant olderThan);

  /** Every session the gateway knows, without secrets. */
  Future<List<SessionView>> list();

  /** One session as the gateway sees it now. */
  Future<SessionView> status(String org);
}
