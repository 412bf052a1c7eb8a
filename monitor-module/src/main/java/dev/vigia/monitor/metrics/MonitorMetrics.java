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
 * {@code vigia_alerts_sent_total{kind,channel}}.
 */
public final class MonitorMetrics {

  private final MeterRegistry registry;
  private final Map<SessionState, AtomicInteger> byState = new EnumMap<>(SessionState.class);

  public MonitorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (SessionState s : SessionState.values()) {
      AtomicInteger n = new AtomicInteger();
      byState.put(s, n);
      Gauge.builder("vigia.sessions", n, AtomicInteger::get)
          .description("Sessions by state").tag("state", s.name()).register(registry);
    }
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
    counter("vigia.state.changes", "State transitions", "to", to.name()).increment();
  }

  /** The org is gone from the gateway (reaped). */
  public void forgotten(SessionState last) {
    if (last != null) {
      byState.get(last).decrementAndGet();
    }
  }

  public void message(String org, boolean sent) {
    counter("vigia.messages", "Messages sent or failed", "org", org, "status",
        sent ? "sent" : "failed").increment();
  }

  /** A message arrived: {@code vigia_messages_total{status="received"}}. */
  public void received(String org) {
    counter("vigia.messages", "Messages sent or failed", "org", org, "status", "received").increment();
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

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
