package dev.vigia.monitor.health;

import dev.vigia.common.SessionState;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.session.SessionView;
import dev.vigia.monitor.gateway.GatewayCommands;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Each org's health: what the monitor heard goes into the {@link HealthBook}; a
 * {@link HealthChange} is published when the status moves (down when not connected, degraded on
 * decrypt trouble, else ok); a query combines the book with the gateway's view. Use from one
 * event loop.
 */
public final class HealthWatch {

  private final HealthBook book = new HealthBook();
  private final DecryptFailureTracker decrypts;
  private final GatewayCommands gateway;
  private final Consumer<HealthChange> publish;
  private final Clock clock;

  public HealthWatch(DecryptFailureTracker decrypts, GatewayCommands gateway,
      Consumer<HealthChange> publish, Clock clock) {
    this.decrypts = decrypts;
    this.gateway = gateway;
    this.publish = publish;
    this.clock = clock;
  }

  /** The last state heard for {@code org}, or null. */
  public SessionState stateOf(String org) {
    return book.state(org);
  }

  public void state(String org, SessionState state, Instant at) {
    book.state(org, state, at);
  }

  public void activity(String org, boolean keepAlive, Instant at) {
    book.activity(org, keepAlive, at);
  }

  public void decryptFailure(String org, Instant at) {
    book.decryptFailure(org, at);
  }

  public void forget(String org) {
    book.forget(org);
  }

  /** Publishes a {@link HealthChange} when the org's status moved; {@code reason} says why. */
  public void refresh(String org, String reason, Instant now) {
    SessionState state = book.state(org);
    String status = state != null && state != SessionState.CONNECTED ? HealthChange.DOWN
        : decrypts.isDegraded(org) ? HealthChange.DEGRADED : HealthChange.OK;
    if (book.changed(org, status)) {
      publish.accept(new HealthChange(org, status, reason, now));
    }
  }

  /** The org's health now; without an answer from the gateway, from what the monitor heard. */
  public Future<SessionHealth> query(String org) {
    return gateway.status(org).transform(ar -> {
      SessionView view = ar.succeeded() ? ar.result() : null;
      // the gateway keeps the linked account only while credentials are stored
      boolean creds = view != null && view.me() != null;
      return Future.succeededFuture(book.evaluate(org, view == null ? null : view.state(),
          view == null ? null : view.since(), view == null ? null : view.lastActivityAt(), creds,
          decrypts.isDegraded(org), clock.instant()));
    });
  }
}
