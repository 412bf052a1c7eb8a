package dev.vigia.monitor.decrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.alert.Alert;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.gateway.FakeGatewayCommands;
import dev.vigia.monitor.health.HealthWatch;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.journal.MemoryJournal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decrypt watch alone: repairs one contact, degrades on many, and says when a repair fails. */
class DecryptWatchTest {

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  final FakeGatewayCommands gateway = new FakeGatewayCommands();
  final MemoryJournal journal = new MemoryJournal();
  final MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
  final JournalWriter writer = new JournalWriter(journal, metrics);
  final List<Alert> alerts = new ArrayList<>();
  final List<HealthChange> health = new ArrayList<>();
  final DecryptFailureTracker tracker = DecryptFailureTracker.withDefaults();
  final DecryptWatch watch = new DecryptWatch(tracker, gateway, writer,
      new AlertRouter(alerts::add, writer, metrics, "monitor"),
      new HealthWatch(tracker, gateway, health::add, clock), "monitor");

  void failures(String contact, int n) {
    for (int i = 0; i < n; i++) {
      watch.failure("2", contact, clock.instant());
    }
  }

  @Test
  void aBurstOnOneContactRepairsThatContactOnceAndNothingElse() {
    failures("34600000001@s.whatsapp.net", 12);
    assertEquals(List.of("2 34600000001@s.whatsapp.net"), gateway.repairs);
    assertTrue(alerts.isEmpty());
    assertTrue(health.isEmpty());
    assertEquals(1L, journal.entries.stream()
        .filter(e -> JournalEntry.REPAIR.equals(e.kind())).count());
  }

  @Test
  void aRepairTheGatewayCouldNotDoIsInTheJournal() {
    gateway.failRepairs(FakeGatewayCommands.refused(404));
    failures("34600000001@s.whatsapp.net", 5);
    assertTrue(journal.messages().stream().anyMatch(m -> m.startsWith(
        "Resetting the Signal session of 34600000001@s.whatsapp.net failed (404")),
        journal.messages().toString());
  }

  @Test
  void manyContactsFailingDegradeTheOrgWithOneAlert() {
    for (String contact : List.of("a", "b", "c")) {
      failures(contact, 6);
    }
    assertEquals(List.of(Alert.DECRYPT_DEGRADED), alerts.stream().map(Alert::kind).toList());
    assertEquals(1, health.size());
    assertEquals(HealthChange.DEGRADED, health.get(0).status());
    assertTrue(gateway.clears.isEmpty(), "a clear is suggested, never done");
  }
}
