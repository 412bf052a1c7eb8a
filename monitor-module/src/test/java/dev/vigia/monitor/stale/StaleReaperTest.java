package dev.vigia.monitor.stale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.gateway.FakeGatewayCommands;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.journal.MemoryJournal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.time.VirtualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stale reaper alone: what it removes, what it tells when a step fails, and when it runs. */
class StaleReaperTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  final ManualClock clock = new ManualClock(NOW);
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final FakeGatewayCommands gateway = new FakeGatewayCommands();
  final MemoryJournal journal = new MemoryJournal();
  final MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
  final List<String> reaped = new ArrayList<>();
  final StaleReaper reaper = new StaleReaper(gateway, scheduler, clock,
      new JournalWriter(journal, metrics), metrics, 30, 30, reaped::add, "monitor");

  static SessionView idle(String org, SessionState state, int days) {
    Instant last = NOW.minus(Duration.ofDays(days));
    return new SessionView(org, state, last, null, null, null, last, last, null, null, null);
  }

  double failures() {
    return metrics.registry().get("vigia.reaper.failures").counter().count();
  }

  @Test
  void theDailyRunRemovesIdleSessionsOnlyAndBooksTheNextRun() {
    gateway.sessions = List.of(idle("old", SessionState.STOPPED, 31),
        idle("recent", SessionState.STOPPED, 29), idle("live", SessionState.CONNECTED, 90));
    reaper.start();
    scheduler.advance(StaleReaper.EVERY);
    assertEquals(List.of("old"), gateway.clears);
    assertEquals(List.of("old"), gateway.forgets);
    assertEquals(List.of("old"), reaped);
    assertEquals(List.of(clock.instant().minus(Duration.ofDays(30))), gateway.purges);
    assertTrue(journal.messages().get(0).startsWith("Stale session"));
    assertEquals(clock.instant().plus(StaleReaper.EVERY), scheduler.nextDue());
    assertEquals(0.0, failures());
  }

  @Test
  void aSessionThatCouldNotBeRemovedIsJournaledCountedAndKept() {
    gateway.sessions = List.of(idle("old", SessionState.STOPPED, 31));
    gateway.failForgets(FakeGatewayCommands.refused(409));
    assertEquals(0, reaper.reapNow().result());
    assertTrue(reaped.isEmpty(), "the other jobs keep the org");
    assertTrue(journal.messages().get(0).startsWith("Removing the stale session failed (409"),
        journal.messages().toString());
    assertEquals(1.0, failures());
  }

  @Test
  void purgingThatFailsIsCountedAndTheRunStillEnds() {
    gateway.failPurges(FakeGatewayCommands.noAnswer());
    assertEquals(0, reaper.reapNow().result());
    assertEquals(1.0, failures());
  }

  @Test
  void inAClusterEachNodeReapsOnlyTheStaleSessionsItOwns() {
    gateway.sessions = List.of(idle("mine", SessionState.STOPPED, 31),
        idle("theirs", SessionState.STOPPED, 31));
    StaleReaper node = new StaleReaper(gateway, scheduler, clock,
        new JournalWriter(journal, metrics), metrics, 30, 30, reaped::add, "monitor",
        org -> org.equals("mine"));
    assertEquals(1, node.reapNow().result());
    assertEquals(List.of("mine"), gateway.clears);
    assertEquals(List.of("mine"), gateway.forgets);
    assertEquals(2, node.candidates().result().candidates().size(), "the dry run lists all");
  }
}
