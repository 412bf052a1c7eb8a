package dev.vigia.monitor;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.Operation;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.decrypt.DecryptWatch;
import dev.vigia.monitor.health.HealthWatch;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.journal.StateSentence;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.reconnect.ReconnectDriver;
import dev.vigia.monitor.stats.DailyCounts;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway publishes, handed to each job in the order that matters: a state change is
 * journaled first, then counted, then health, recovery alerts and the reconnect decision follow;
 * activity feeds health, the daily stats and the decrypt watch. Only for orgs this node owns
 * (every org on a single node): of another, a state change is journaled and the org forgotten.
 * Use from one event loop.
 */
final class MonitorEvents {

  private static final Logger log = LoggerFactory.getLogger(MonitorEvents.class);

  private final JournalWriter journal;
  private final MonitorMetrics metrics;
  private final HealthWatch health;
  private final AlertRouter alerts;
  private final ReconnectDriver reconnect;
  private final DecryptWatch decrypts;
  private final DailyCounts stats;
  private final Clock clock;
  private final Ownership ownership;

  MonitorEvents(JournalWriter journal, MonitorMetrics metrics, HealthWatch health,
      AlertRouter alerts, ReconnectDriver reconnect, DecryptWatch decrypts, DailyCounts stats,
      Clock clock, Ownership ownership) {
    this.ownership = ownership;
    this.journal = journal;
    this.metrics = metrics;
    this.health = health;
    this.alerts = alerts;
    this.reconnect = reconnect;
    this.decrypts = decrypts;
    this.stats = stats;
    this.clock = clock;
  }

  /** @param body the change as the gateway publishes it (JSON text) or as a JsonObject */
  void stateChange(Object body) {
    StateChange change;
    try {
      change = Json.fromBody(body, StateChange.class).withoutSecrets();
    } catch (RuntimeException e) {
      log.warn("unreadable state change ignored: {}", e.getClass().getSimpleName());
      return;
    }
    if (!OrgId.isValid(change.org()) || change.to() == null) {
      log.warn("state change without a valid org id or state ignored");
      return;
    }
    String org = change.org();
    Instant now = clock.instant();
    Instant at = change.at() != null ? change.at() : now;
    journal.append(new JournalEntry(org, at, JournalEntry.STATE, change.from(), change.to(),
        change.cause(), StateSentence.of(change), null));
    if (!ownership.owns(org)) {
      // this node's gateway ended a session it no longer owns (its lease went elsewhere): the
      // line above tells it; decisions, alerts and health are the new owner's
      forget(org);
      return;
    }
    if (reconnect.isOlderThanKnown(change)) {
      // delivered late: the newer state already heard stands for health, metrics and decisions
      OrgMdc.run(org, () -> log.warn("org {}: state #{} ({}) arrived after a newer one; no"
          + " decision taken for it", org, change.seq(), change.to()));
      return;
    }
    count(health.stateOf(org), change);
    health.state(org, change.to(), at);
    if (change.to() == SessionState.CONNECTED) {
      alerts.connected(org);
    }
    reconnect.onChange(change, now);
    if (change.to() == SessionState.STOPPED || change.to() == SessionState.LOGGED_OUT) {
      // new credentials or none: old decrypt failures mean nothing
      decrypts.forget(org);
    }
    health.refresh(org, "Session is " + change.to(), now);
  }

  void activity(JsonObject body) {
    Activity activity;
    try {
      activity = Json.fromJson(body, Activity.class);
    } catch (RuntimeException e) {
      log.warn("unreadable activity ignored: {}", e.getClass().getSimpleName());
      return;
    }
    String org = activity.org();
    if (!OrgId.isValid(org) || activity.kind() == null || !ownership.owns(org)) {
      return;
    }
    Instant now = clock.instant();
    health.activity(org, Activity.KEEP_ALIVE.equals(activity.kind()), now);
    switch (activity.kind()) {
      case Activity.MESSAGE_SENT -> {
        metrics.message(org, true);
        stats.sent(org);
      }
      case Activity.MESSAGE_FAILED -> {
        metrics.message(org, false);
        stats.failed(org);
      }
      case Activity.MESSAGE_RECEIVED -> metrics.received(org);
      case Activity.DECRYPT_FAILURE -> {
        metrics.decryptFailure(org);
        health.decryptFailure(org, now);
        decrypts.failure(org, activity.contact(), now);
      }
      default -> {
        // keep-alives and repairs only move the health book
      }
    }
  }

  /** A person's command that concerned the org (clear, engine restart): journaled with who. */
  void operation(JsonObject body) {
    Operation op;
    try {
      op = Json.fromJson(body, Operation.class);
    } catch (RuntimeException e) {
      log.warn("unreadable operation ignored: {}", e.getClass().getSimpleName());
      return;
    }
    if (!OrgId.isValid(op.org())) {
      log.warn("operation without a valid org id ignored");
      return;
    }
    journal.append(new JournalEntry(op.org(), op.at() != null ? op.at() : clock.instant(),
        JournalEntry.OPERATION, null, null, null, op.message(), op.actor()));
  }

  /** The org was reaped: every job forgets it. */
  void forget(String org) {
    reconnect.forget(org);
    metrics.forgotten(health.stateOf(org));
    health.forget(org);
    decrypts.forget(org);
  }

  /** Metrics for one transition: the gauge moves, closes are counted by code. */
  private void count(SessionState previous, StateChange change) {
    if (previous != change.to()) {
      metrics.stateChanged(previous, change.to());
    }
    // a close the gateway reports (not the echo of the monitor's own settle, not a person's stop)
    boolean close = change.reconnect() == null && isLive(change.from()) && !isLive(change.to())
        && change.to() != SessionState.STOPPED;
    if (close) {
      metrics.disconnect(change.cause());
    }
  }

  private static boolean isLive(SessionState s) {
    return s == SessionState.CONNECTED || s == SessionState.STARTING
        || s == SessionState.QR_REQUIRED || s == SessionState.PAIRING_CODE;
  }
}
