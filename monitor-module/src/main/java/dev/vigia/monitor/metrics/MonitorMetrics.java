package dev.vigia.monitor.metrics;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The monitor's Prometheus series (Micrometer names; the Prometheus registry adds
 * {@code _total} to counters): {@code vigia_sessions{state}}, {@code vigia_state_changes_total{to}},
 * {@code vigia_messages_total{org,status}}, {@code vigia_reconnects_total{org}},
 * {@code vigia_disconnects_total{code}}, {@code vigia_decrypt_failures_total{org}},
 * {@code vigia_alerts_sent_total{kind,channel}}, {@code vigia_journal_failures_total},
 * {@code vigia_stats_write_failures_total}, {@code vigia_decisions_dropped_total},
 * {@code vigia_reaper_failures_total}.
 */
public final class MonitorMetrics {

  private final MeterRegistry registry;
  private final Map<SessionState, AtomicInteger> byState = new EnumMap<>(SessionState.class);
  /** Counted at every state change: registered once, not looked up by name and tags each time. */
  private final Map<SessionState, Counter> changesTo = new EnumMap<>(SessionState.class);

  public MonitorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (SessionState s : SessionState.values()) {
      AtomicInteger n = new AtomicInteger();
      byState.put(s, n);
      Gauge.builder("vigia.sessions", n, AtomicInteger::get)
          .description("Sessions by state").tag("state", s.name()).register(registry);
      changesTo.put(s, counter("vigia.state.changes", "State transitions", "to", s.name()));
    }
    // failure counters exist from the start, so an alert rule sees 0 rather than no series
    journalFailures();
    statsWriteFailures();
    decisionsDropped();
    reaperFailures();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One org moved from {@code from} (null: first seen) to {@code to}. */
  public void stateChanged(SessionState from, SessionState to) {
    if (from != null) {
      byState.get(from).decrementAndGet();
    }
    byState.get(to).incrementAndGet();
    changesTo.get(to).increment();
  }

  /** The org is gone from the gateway (reaped). */
  public void forgotten(SessionState last) {
    if (last != null) {
      byState.get(last).decrementAndGet();
    }
  }

  public void message(String org, boolean sent) {
    counter("vigia.messages", "Messages sent, failed or received", "org", org, "status",
        sent ? "sent" : "failed").increment();
  }

  /** A message arrived: {@code vigia_messages_total{status="received"}}. */
  public void received(String org) {
    counter("vigia.messages", "Messages sent, failed or received", "org", org, "status",
        "received").increment();
  }

  public void reconnect(String org) {
    counter("vigia.reconnects", "Reconnect attempts the monitor started", "org", org).increment();
  }

  /** A connection closed; tagged with WhatsApp's code, or the reason when there is none. */
  public void disconnect(Cause cause) {
    String code = cause == null ? "none"
        : cause.code() != null ? String.valueOf(cause.code())
        : cause.reason() != null ? cause.reason() : "none";
    counter("vigia.disconnects", "Connection closes by code", "code", code).increment();
  }

  public void decryptFailure(String org) {
    counter("vigia.decrypt.failures", "Decrypt failures (Bad MAC and similar)", "org", org)
        .increment();
  }

  public void alertSent(String kind, String channel) {
    counter("vigia.alerts.sent", "Alerts delivered", "kind", kind, "channel", channel).increment();
  }

  /** A journal line could not be written (the log line names the org). */
  public void journalFailure() {
    journalFailures().increment();
  }

  /** A batch of daily-stats counts could not be made durable (it is tried again). */
  public void statsWriteFailure() {
    statsWriteFailures().increment();
  }

  /** The gateway refused a decision made for an older state of the session (409). */
  public void decisionDropped() {
    decisionsDropped().increment();
  }

  /** A stale session could not be removed, or old archives could not be purged. */
  public void reaperFailure() {
    reaperFailures().increment();
  }

  private Counter journalFailures() {
    return counter("vigia.journal.failures", "Journal lines that could not be written");
  }

  private Counter statsWriteFailures() {
    return counter("vigia.stats.write.failures", "Daily-stats writes that failed (retried)");
  }

  private Counter decisionsDropped() {
    return counter("vigia.decisions.dropped",
        "Monitor decisions refused as stale by the gateway");
  }

  private Counter reaperFailures() {
    return counter("vigia.reaper.failures", "Stale-session reaper steps that failed");
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
