package dev.vigia.monitor.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy beyond the table: history, attempts, echoes; the table is in DesignTableTest. */
@Timeout(10)
class SessionPolicyTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final SessionPolicy POLICY = new SessionPolicy(
      new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), longestWait()),
      10, Duration.ofMinutes(10), 3);

  /** Full jitter at its upper bound, so every wait equals the backoff ceiling. */
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

  static final OrgHistory FRESH = OrgHistory.empty();
  static final OrgHistory LINKING = new OrgHistory(List.of(), 0, 0, true, false);
  static final OrgHistory RESTARTED_WHILE_LINKING = new OrgHistory(List.of(), 0, 0, true, true);
  static final OrgHistory TWO_BAD_SESSIONS =
      new OrgHistory(List.of(NOW.minusSeconds(20), NOW.minusSeconds(10)), 2, 2, false, false);
  static final OrgHistory NINE_RECENT_FAILURES = failures(9, Duration.ofSeconds(30));
  static final OrgHistory NINE_OLD_FAILURES = failures(9, Duration.ofMinutes(2));

  /** {@code n} failures, one every {@code every}, the last one {@code every} ago. */
  static OrgHistory failures(int n, Duration every) {
    List<Instant> at = new ArrayList<>();
    for (int i = n; i >= 1; i--) {
      at.add(NOW.minus(every.multipliedBy(i)));
    }
    return new OrgHistory(at, n, 0, false, false);
  }

  static Arguments row(String row, SessionState state, Cause cause, OrgHistory history,
      Class<? extends Decision> expected, AlertKind alert) {
    return Arguments.of(row, new PolicyInput(SessionState.CONNECTED, state, cause, false,
        history, NOW), expected, alert);
  }

  /** What the monitor must not react to; DESIGN §3's own rows are in {@link DesignTableTest}. */
  static Stream<Arguments> notReactedTo() {
    return Stream.of(
        row("FAILED settled by the monitor itself", SessionState.FAILED,
            Cause.connectionLost(), FRESH, Decision.Ignore.class, null),
        row("stopped by a person", SessionState.STOPPED, Cause.userRequest("disconnect"),
            FRESH, Decision.Ignore.class, null),
        row("connected", SessionState.CONNECTED, null, FRESH, Decision.Ignore.class, null),
        row("a QR rotation", SessionState.QR_REQUIRED, null, LINKING, Decision.Ignore.class,
            null));
  }

  /** The causes the gateway reports about itself (engine, store), not WhatsApp's codes. */
  static Stream<Arguments> gatewayCauses() {
    return Stream.of(
        row("archive failed after a 401: FAILED stays, a person is told to clear",
            SessionState.FAILED, new Cause(401, Cause.ARCHIVE_FAILED, "archiving failed"), FRESH,
            Decision.Fail.class, AlertKind.ARCHIVE_FAILED),
        row("credentials write failed: reconnect with backoff", SessionState.RECONNECTING,
            new Cause(null, Cause.CREDS_WRITE_FAILED, "disk full"), FRESH,
            Decision.RetryLater.class, null),
        row("engine unavailable: reconnect with backoff", SessionState.RECONNECTING,
            new Cause(null, Cause.ENGINE_UNAVAILABLE, "node missing"), FRESH,
            Decision.RetryLater.class, null),
        row("credentials write failed, 10th failure: the breaker opens", SessionState.RECONNECTING,
            new Cause(null, Cause.CREDS_WRITE_FAILED, "disk full"), NINE_RECENT_FAILURES,
            Decision.Fail.class, AlertKind.BREAKER_OPEN),
        row("engine restarted by an operator: reconnect at once, no alert",
            SessionState.RECONNECTING, new Cause(null, Cause.ENGINE_RESTART, "restart"),
            NINE_RECENT_FAILURES, Decision.ConnectNow.class, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gatewayCauses")
  void theGatewaysOwnCausesAreDecidedAsWritten(String row, PolicyInput input,
      Class<? extends Decision> expected, AlertKind alert) {
    Decision d = POLICY.decide(input);
    assertInstanceOf(expected, d, row + ": " + d);
    assertEquals(alert, d.alert(), row);
    assertTrue(d.reason() != null && d.reason().length() > 20, row + ": " + d.reason());
  }

  @Test
  void engineRestartsNeverOpenTheBreaker() {
    OrgHistory h = FRESH;
    for (int i = 0; i < 30; i++) {
      PolicyInput in = new PolicyInput(SessionState.CONNECTED, SessionState.RECONNECTING,
          new Cause(null, Cause.ENGINE_RESTART, "restart"), false, h, NOW.plusSeconds(i));
      Decision d = POLICY.decide(in);
      assertInstanceOf(Decision.ConnectNow.class, d);
      h = POLICY.remember(in, d);
    }
    assertEquals(0, h.failures().size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notReactedTo")
  void statesTheMonitorDidNotCauseAreLeftAlone(String row, PolicyInput input,
      Class<? extends Decision> expected, AlertKind alert) {
    Decision d = POLICY.decide(input);
    assertInstanceOf(expected, d, row + ": " + d);
    assertEquals(alert, d.alert(), row);
    if (!(d instanceof Decision.Ignore)) {
      assertTrue(d.reason() != null && d.reason().length() > 20,
          row + ": the journal needs a sentence, got " + d.reason());
    }
  }

  @Test
  void theEchoOfTheMonitorsOwnSettleIsIgnored() {
    PolicyInput echo = new PolicyInput(SessionState.RECONNECTING, SessionState.RECONNECTING,
        Cause.connectionLost(), true, FRESH, NOW);
    assertInstanceOf(Decision.Ignore.class, POLICY.decide(echo));
  }

  @Test
  void aRetryWaitsAtMostTheBackoffCeilingOfItsAttempt() {
    OrgHistory threeAttempts = failures(3, Duration.ofSeconds(5));
    Decision d = POLICY.decide(new PolicyInput(SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionClosed(), false, threeAttempts, NOW));
    Decision.RetryLater r = assertInstanceOf(Decision.RetryLater.class, d);
    assertEquals(4, r.attempt());
    // attempt 4 waits up to 1 s · 2^3; the test's random always picks the upper bound
    assertEquals(NOW.plusSeconds(8), r.nextAt());
    assertTrue(r.reason().contains("attempt 4"), r.reason());
  }

  @Test
  void theRestartMessageNamesTheScan() {
    Decision d = POLICY.decide(new PolicyInput(SessionState.QR_REQUIRED,
        SessionState.RECONNECTING, Cause.restartRequired(), false, LINKING, NOW));
    assertEquals("Restart required after the QR was scanned (515): reconnecting now",
        d.reason());
  }

  @Test
  void attemptsCountUpAndStartOverOnceConnected() {
    OrgHistory h = FRESH;
    for (int expected = 1; expected <= 3; expected++) {
      PolicyInput in = new PolicyInput(SessionState.STARTING, SessionState.RECONNECTING,
          Cause.connectionLost(), false, h, NOW.plusSeconds(expected));
      Decision d = POLICY.decide(in);
      assertEquals(expected, ((Decision.RetryLater) d).attempt());
      h = POLICY.remember(in, d);
    }
    PolicyInput connected = new PolicyInput(SessionState.STARTING, SessionState.CONNECTED, null,
        false, h, NOW.plusSeconds(10));
    h = POLICY.remember(connected, POLICY.decide(connected));
    assertEquals(0, h.attempt());
    assertEquals(3, h.failures().size(), "the breaker still sees the drops of a flapping session");
    PolicyInput again = new PolicyInput(SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionLost(), false, h, NOW.plusSeconds(20));
    assertEquals(1, ((Decision.RetryLater) POLICY.decide(again)).attempt());
  }

  @Test
  void aScanThenRestartThenLogoutIsAFailedLinkWhileAnOrdinaryLogoutIsNot() {
    OrgHistory h = FRESH;
    SessionState[][] path = {
        {SessionState.STOPPED, SessionState.STARTING},
        {SessionState.STARTING, SessionState.QR_REQUIRED},
        {SessionState.QR_REQUIRED, SessionState.RECONNECTING},
        {SessionState.RECONNECTING, SessionState.STARTING},
    };
    Cause[] causes = {Cause.userRequest("connect"), null, Cause.restartRequired(), null};
    for (int i = 0; i < path.length; i++) {
      PolicyInput in = new PolicyInput(path[i][0], path[i][1], causes[i], false, h, NOW);
      h = POLICY.remember(in, POLICY.decide(in));
    }
    assertTrue(h.restartWhileLinking());
    Decision failedLink = POLICY.decide(new PolicyInput(SessionState.STARTING,
        SessionState.LOGGED_OUT, Cause.loggedOut(), false, h, NOW));
    assertInstanceOf(Decision.ArchiveAndOfferQr.class, failedLink);

    // once connected, a later 401 is the phone removing the device
    PolicyInput connected = new PolicyInput(SessionState.STARTING, SessionState.CONNECTED, null,
        false, h, NOW);
    h = POLICY.remember(connected, POLICY.decide(connected));
    assertFalse(h.restartWhileLinking());
    Decision logout = POLICY.decide(new PolicyInput(SessionState.CONNECTED,
        SessionState.LOGGED_OUT, Cause.loggedOut(), false, h, NOW));
    assertInstanceOf(Decision.AwaitPerson.class, logout);
  }

  @Test
  void aBadSessionBetweenOtherFailuresIsNotThreeInARow() {
    OrgHistory h = FRESH;
    Cause[] causes = {Cause.badSession(), Cause.badSession(), Cause.connectionClosed(),
        Cause.badSession()};
    Decision last = null;
    for (Cause c : causes) {
      PolicyInput in = new PolicyInput(SessionState.STARTING, SessionState.RECONNECTING, c,
          false, h, NOW);
      last = POLICY.decide(in);
      h = POLICY.remember(in, last);
    }
    assertInstanceOf(Decision.RetryLater.class, last);
    assertEquals(1, h.consecutiveBadSessions());
  }

  @Test
  void aPersonStartingAgainGetsAFreshBreakerBudget() {
    PolicyInput restart = new PolicyInput(SessionState.FAILED, SessionState.STARTING,
        Cause.userRequest("connect"), false, NINE_RECENT_FAILURES, NOW);
    OrgHistory h = POLICY.remember(restart, POLICY.decide(restart));
    assertEquals(0, h.failures().size());
    assertNull(POLICY.decide(new PolicyInput(SessionState.STARTING, SessionState.RECONNECTING,
        Cause.connectionLost(), false, h, NOW)).alert());
  }
}
