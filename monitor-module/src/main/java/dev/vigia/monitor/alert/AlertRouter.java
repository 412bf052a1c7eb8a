package dev.vigia.monitor.alert;

import dev.vigia.common.Cause;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.AlertKind;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where the monitor's alerts go: published on the bus ({@link Alert#ADDRESS}), one journal line
 * per alert raised, handed to the {@link AlertDispatcher} for mail and webhooks (cooldown,
 * retries), and one recovery message when a session that had an alert connects again. Every
 * delivery outcome lands in the org's journal. Use from one event loop.
 */
public final class AlertRouter {

  private final Consumer<Alert> publish;
  private final JournalWriter journal;
  private final MonitorMetrics metrics;
  private final String actor;
  private AlertDispatcher delivery;

  public AlertRouter(Consumer<Alert> publish, JournalWriter journal, MonitorMetrics metrics,
      String actor) {
    this.publish = publish;
    this.journal = journal;
    this.metrics = metrics;
    this.actor = actor;
  }

  /** Mail and webhooks from now on (none: alerts are published and journaled only). */
  public void deliverThrough(AlertDispatcher dispatcher) {
    this.delivery = dispatcher;
  }

  /** Raises one alert about {@code org}. */
  public void raise(String org, AlertKind kind, String message, Instant now, Cause cause) {
    publish.accept(new Alert(org, kind.kind(), kind.severity(), message, now));
    journal.append(new JournalEntry(org, now, JournalEntry.ALERT, null, null, null,
        "Alert raised: " + kind.kind() + " (" + kind.severity() + ")", actor));
    if (delivery != null) {
      // one delivery per (org, kind) per cooldown; each outcome comes back through outcome()
      delivery.dispatch(new AlertMessage(org, kind.kind(), kind.severity(), cause, message, now));
    }
  }

  /**
   * The org is connected: if it had an alert, one recovery message. The cooldowns know (kept in
   * PostgreSQL they know it across a restart too), so every connect asks them.
   */
  public void connected(String org) {
    if (delivery != null) {
      delivery.recovered(org);
    }
  }

  /** The final word on one delivery, from the dispatcher: counted and journaled. */
  public void outcome(AlertOutcome outcome) {
    if (AlertOutcome.DELIVERED.equals(outcome.status())) {
      metrics.alertSent(outcome.kind(), outcome.channel());
    }
    journal.append(outcome.toJournalEntry());
  }

  public Future<Void> close() {
    return delivery == null ? Future.succeededFuture() : delivery.close();
  }
}
