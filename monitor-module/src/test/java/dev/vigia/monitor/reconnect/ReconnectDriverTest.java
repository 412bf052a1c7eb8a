package dev.vigia.monitor.reconnect;

import static dev.vigia.monitor.gateway.FakeGatewayCommands.noAnswer;
import static dev.vigia.monitor.gateway.FakeGatewayCommands.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.gateway.FakeGatewayCommands;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.journal.MemoryJournal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.ReconnectBackoff;
import dev.vigia.monitor.policy.SessionPolicy;
import dev.vigia.monitor.time.VirtualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reconnect job alone, without a bus: a fake gateway that refuses stale decisions like the
 * real one, simulated time, a journal in memory. Each test is one outcome of a decision.
 */
@Timeout(10)
class ReconnectDriverTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final FakeGatewayCommands gateway = new FakeGatewayCommands();
  final MemoryJournal journal = new MemoryJournal();
  final MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
  final JournalWriter writer = new JournalWriter(journal, metrics);
  final List<Alert> alerts = new ArrayList<>();
  final List<String> attempts = new ArrayList<>();
  // every wait is the backoff ceiling: attempt n waits 1 s · 2^(n-1)
  final ReconnectDriver driver = new ReconnectDriver(
      new SessionPolicy(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5),
          longestWait()), 10, Duration.ofMinutes(10), 3),
      new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), longestWait()),
      gateway, scheduler, clock, writer, new AlertRouter(alerts::add, writer, metrics, "monitor"),
      metrics, attempts::add, "monitor");
  long seq;

  static RandomGenerator longestWait() {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return Long.MAX_VALUE;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
  }

  /** The gateway publishes a change of org 2 (its newest state) and the monitor hears it. */
  StateChange hear(SessionState from, SessionState to, Cause cause) {
    return hear(from, to, cause, null);
  }

  StateChange hear(SessionState from, SessionState to, Cause cause,
      SessionView.Reconnect reconnect) {
    StateChange change = new StateChange("2", from, to, cause, null, null, null, reconnect,
        clock.instant(), ++seq);
    gateway.at("2", seq);
    driver.onChange(change, clock.instant());
    return change;
  }

  /** The echo the gateway publishes after taking the last settle. */
  void hearEchoOfLastSettle() {
    FakeGatewayCommands.Settle s = gateway.settles.get(gateway.settles.size() - 1);
    hear(SessionState.RECONNECTING, s.state(), s.cause(), s.reconnect());
  }

  boolean journalSays(String start) {
    return journal.messages().stream().anyMatch(m -> m.startsWith(start));
  }

  double counter(String name) {
    var c = metrics.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aClearTheGatewayTookBeforeTheDecisionIsNotOverwrittenAndNothingIsScheduled() {
    StateChange close = new StateChange("2", SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionLost(), null, null, null, null, T0, 5);
    // a person's clear reached the gateway first: it is at STOPPED #6, the monitor has not heard
    gateway.at("2", 6);
    driver.onChange(close, T0);

    assertEquals(1, gateway.settles.size());
    assertEquals(5, gateway.settles.get(0).forSeq(), "the decision names the state it is for");
    assertTrue(gateway.accepted.isEmpty(), "the gateway refused the stale decision");
    assertEquals(0, scheduler.pendingCount(), "nothing scheduled for that org");
    assertTrue(journalSays("Decision dropped: the session changed after it was made (state #5)"),
        journal.messages().toString());
    assertEquals(1.0, counter("vigia.decisions.dropped"));

    driver.onChange(new StateChange("2", SessionState.RECONNECTING, SessionState.STOPPED,
        Cause.userRequest("Session cleared"), null, null, null, null, T0, 6), T0);
    scheduler.advance(Duration.ofMinutes(10));
    assertEquals(1, gateway.settles.size(), "a refused decision is not retried");
    assertTrue(gateway.connects.isEmpty());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void everyCommandCarriesTheSeqOfTheStateItWasDecidedFor() {
    StateChange close = hear(SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionClosed());
    assertEquals(close.seq(), gateway.settles.get(0).forSeq());
    hearEchoOfLastSettle();
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(List.of(new FakeGatewayCommands.Connect("2", seq)), gateway.connects,
        "the attempt is made for the RECONNECTING state the settle led to");
    assertEquals(2, gateway.accepted.size());
  }

  @Test
  void aFailedSettleIsTriedAgainWithBackoffUntilTheGatewayTakesIt() {
    gateway.failSettles(noAnswer(), refused(500));
    hear(SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
    assertEquals(1, scheduler.pendingCount(), "a retry is booked: never RECONNECTING with no timer");

    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(2, gateway.settles.size());
    scheduler.advance(Duration.ofSeconds(2));
    assertEquals(3, gateway.settles.size());
    assertEquals(1, gateway.accepted.size(), "the third try was taken");
    assertEquals(1L, journal.messages().stream()
        .filter(m -> m.startsWith("The gateway did not record the decision RECONNECTING")).count(),
        "one line per outage, not per try");
    assertTrue(journalSays("The gateway recorded the decision RECONNECTING at try 3"));

    hearEchoOfLastSettle();
    scheduler.runDue(); // the attempt was due 1 s after the close: it runs at once
    assertEquals(1, gateway.connects.size());
    assertEquals(1, gateway.accepted.size() - 1, "the connect was taken too");
  }

  @Test
  void aSettleRetryStopsWhenSomeoneElseMovesTheSessionOn() {
    gateway.failSettles(noAnswer());
    hear(SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
    assertEquals(1, scheduler.pendingCount());
    hear(SessionState.RECONNECTING, SessionState.STOPPED, Cause.userRequest("Disconnected"));
    assertEquals(0, scheduler.pendingCount());
    scheduler.advance(Duration.ofMinutes(10));
    assertEquals(1, gateway.settles.size());
    assertTrue(gateway.connects.isEmpty());
  }

  @Test
  void aReconnectRefusedAsStaleIsDroppedWithAJournalLineAndNothingElse() {
    StateChange restart = new StateChange("2", SessionState.QR_REQUIRED,
        SessionState.RECONNECTING, Cause.restartRequired(), null, null, null, null, T0, 1);
    gateway.at("2", 2); // the session moved on at the gateway
    driver.onChange(restart, T0);
    assertEquals(1, gateway.connects.size());
    assertTrue(journalSays("Decision dropped"), journal.messages().toString());
    assertTrue(gateway.settles.isEmpty(), "no FAILED, no retry");
    assertTrue(alerts.isEmpty());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void aReconnectTheGatewayRefusesForGoodEndsFailedWithAnAlert() {
    gateway.failConnects(refused(400));
    hear(SessionState.QR_REQUIRED, SessionState.RECONNECTING, Cause.restartRequired());
    assertTrue(journalSays("The gateway refused the reconnect (400 refused with 400)"),
        journal.messages().toString());
    assertEquals(1, gateway.settlesTo(SessionState.FAILED));
    assertEquals(seq, gateway.settles.get(0).forSeq());
    assertEquals(1, alerts.size());
    assertEquals(Alert.BREAKER_OPEN, alerts.get(0).kind());
    assertEquals(Alert.CRITICAL, alerts.get(0).severity());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void aReconnectTheGatewayFailsOnItsSideCountsAsAFailedAttempt() {
    gateway.failConnects(refused(500));
    hear(SessionState.QR_REQUIRED, SessionState.RECONNECTING, Cause.restartRequired());
    assertEquals(1, gateway.settlesTo(SessionState.RECONNECTING));
    FakeGatewayCommands.Settle retry = gateway.settles.get(0);
    assertEquals(ReconnectDriver.CONNECT_FAILED, retry.cause().reason());
    assertEquals(1, retry.reconnect().attempt());
    assertTrue(journal.messages().stream().anyMatch(m -> m.contains("500 refused with 500")
        && m.contains("reconnect attempt 1")), journal.messages().toString());
    assertTrue(alerts.isEmpty());
  }

  @Test
  void credentialsThatCouldNotBeArchivedAlertAPersonToClear() {
    hear(SessionState.CONNECTED, SessionState.FAILED,
        new Cause(401, Cause.ARCHIVE_FAILED, "logged out; archiving the credentials failed"));
    assertEquals(1, alerts.size());
    assertEquals(Alert.ARCHIVE_FAILED, alerts.get(0).kind());
    assertEquals(Alert.CRITICAL, alerts.get(0).severity());
    assertTrue(alerts.get(0).message().contains("clear the session"), alerts.get(0).message());
    assertTrue(gateway.settles.isEmpty(), "already FAILED");
    assertTrue(gateway.connects.isEmpty());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void aFailedCredentialsWriteOrAMissingEngineIsRetriedWithBackoff() {
    for (String reason : List.of(Cause.CREDS_WRITE_FAILED, Cause.ENGINE_UNAVAILABLE)) {
      hear(SessionState.CONNECTED, SessionState.RECONNECTING, new Cause(null, reason, reason));
      FakeGatewayCommands.Settle settle = gateway.settles.get(gateway.settles.size() - 1);
      assertEquals(SessionState.RECONNECTING, settle.state(), reason);
      assertEquals(reason, settle.cause().reason());
      hearEchoOfLastSettle();
      assertEquals(1, scheduler.pendingCount(), reason);
      scheduler.advance(Duration.ofMinutes(1));
      hear(SessionState.RECONNECTING, SessionState.CONNECTED, null);
    }
    assertEquals(2, gateway.connects.size());
    assertTrue(alerts.isEmpty());
  }

  @Test
  void anEngineRestartReconnectsAtOnceWithoutAnAlert() {
    hear(SessionState.CONNECTED, SessionState.RECONNECTING,
        new Cause(null, Cause.ENGINE_RESTART, "engine restarted by an operator"));
    assertEquals(List.of(new FakeGatewayCommands.Connect("2", seq)), gateway.connects);
    assertTrue(gateway.settles.isEmpty(), "no backoff to show");
    assertTrue(alerts.isEmpty());
    assertEquals(List.of("2"), attempts);
  }

  @Test
  void theDecisionIsJournaledBeforeTheGatewayIsAskedToActOnIt() {
    journal.holdAppends();
    hear(SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
    assertTrue(journal.entries.stream().anyMatch(e -> JournalEntry.DECISION.equals(e.kind())));
    assertTrue(gateway.settles.isEmpty(), "the command waits for its journal line");
    journal.release();
    assertEquals(1, gateway.settles.size());
  }

  @Test
  void aJournalThatCannotWriteIsCountedAndDoesNotStopTheDecision() {
    journal.failAppends(true);
    hear(SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
    assertEquals(1, gateway.settles.size());
    assertTrue(counter("vigia.journal.failures") >= 1.0);
  }

  @Test
  void aFailedArchiveAfterAFailedLinkTellsAPersonToClear() {
    gateway.failClears(refused(500));
    hear(SessionState.STOPPED, SessionState.STARTING, Cause.userRequest("connect"));
    hear(SessionState.STARTING, SessionState.QR_REQUIRED, null);
    hear(SessionState.QR_REQUIRED, SessionState.RECONNECTING, Cause.restartRequired());
    hear(SessionState.RECONNECTING, SessionState.STARTING, null);
    hear(SessionState.STARTING, SessionState.LOGGED_OUT, Cause.loggedOut());
    assertEquals(List.of("2"), gateway.clears);
    assertTrue(journalSays("Archiving the credentials after the failed link failed"),
        journal.messages().toString());
    assertEquals(List.of(Alert.LOGGED_OUT), alerts.stream().map(Alert::kind).toList());
    hear(SessionState.LOGGED_OUT, SessionState.STOPPED, Cause.userRequest("a person cleared"));
    assertEquals(1, gateway.connects.size(), "only the 515's connect: no QR offered by itself");
  }
}
