package dev.vigia.monitor.policy;

import static dev.vigia.monitor.policy.SessionPolicyTest.FRESH;
import static dev.vigia.monitor.policy.SessionPolicyTest.LINKING;
import static dev.vigia.monitor.policy.SessionPolicyTest.NINE_OLD_FAILURES;
import static dev.vigia.monitor.policy.SessionPolicyTest.NINE_RECENT_FAILURES;
import static dev.vigia.monitor.policy.SessionPolicyTest.NOW;
import static dev.vigia.monitor.policy.SessionPolicyTest.POLICY;
import static dev.vigia.monitor.policy.SessionPolicyTest.RESTARTED_WHILE_LINKING;
import static dev.vigia.monitor.policy.SessionPolicyTest.TWO_BAD_SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §3, one table: every row of "what the monitor does with a cause" has at least one case.
 * State/cause rows go through {@link SessionPolicy}, the decrypt-failure row through
 * {@link DecryptFailureTracker}, the stale row through {@link StaleRule}.
 */
@Timeout(10)
class DesignTableTest {

  /** The rows of DESIGN §3, in its order. */
  enum Row {
    RESTART_515("515 restart required"),
    TRANSIENT("428 / 408 lost / 503 / network errors"),
    BAD_SESSION_500("500 bad session"),
    CONFLICT_440("440 conflict"),
    LOGGED_OUT_401("401 logged out"),
    BANNED("402 / 403 / 406"),
    OUTDATED("405 / 411"),
    QR_ATTEMPTS_ENDED_408("408 QR refs attempts ended"),
    DECRYPT_FAILURE("Bad MAC / MessageCounterError / no session, per contact"),
    STALE("no activity and not connected for staleDays");

    final String text;

    Row(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  static final int STALE_DAYS = 30;

  static Arguments policy(Row row, String name, SessionState state, Cause cause,
      OrgHistory history, Class<? extends Decision> expected, AlertKind alert) {
    Executable check = () -> {
      Decision d = POLICY.decide(new PolicyInput(SessionState.CONNECTED, state, cause, false,
          history, NOW));
      assertInstanceOf(expected, d, name + ": " + d);
      assertEquals(alert, d.alert(), name);
      assertTrue(d.reason() != null && d.reason().length() > 20,
          name + ": the journal needs a sentence, got " + d.reason());
    };
    return Arguments.of(row, name, check);
  }

  static Arguments decrypts(String name, Executable check) {
    return Arguments.of(Row.DECRYPT_FAILURE, name, check);
  }

  static Arguments stale(String name, SessionState state, Duration idle, boolean expected) {
    Executable check = () -> {
      Instant last = NOW.minus(idle);
      SessionView v = new SessionView("2", state, last, null, null, null, last, last, null, "ok", null);
      assertEquals(expected, StaleRule.isStale(v, NOW, STALE_DAYS), name);
    };
    return Arguments.of(Row.STALE, name, check);
  }

  /** Feeds {@code n} failures of one contact, one a second; returns how many asked a repair. */
  static int repairs(DecryptFailureTracker t, String contact, int n) {
    int repairs = 0;
    for (int i = 0; i < n; i++) {
      if (t.record("2", contact, NOW.plusSeconds(i)).repairContact()) {
        repairs++;
      }
    }
    return repairs;
  }

  static Stream<Arguments> designTable() {
    return Stream.of(
        policy(Row.RESTART_515, "515 right after a scan: reconnect at once, no alert",
            SessionState.RECONNECTING, Cause.restartRequired(), LINKING,
            Decision.ConnectNow.class, null),
        policy(Row.RESTART_515, "515 on a linked session: reconnect at once, no alert",
            SessionState.RECONNECTING, Cause.restartRequired(), FRESH,
            Decision.ConnectNow.class, null),
        policy(Row.TRANSIENT, "428 closed: backoff", SessionState.RECONNECTING,
            Cause.connectionClosed(), FRESH, Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "408 connection lost: backoff", SessionState.RECONNECTING,
            Cause.connectionLost(), FRESH, Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "503 unavailable: backoff", SessionState.RECONNECTING,
            Cause.unavailable(), FRESH, Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "network down: backoff", SessionState.RECONNECTING,
            Cause.networkDown(), FRESH, Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "an unknown close code is transient", SessionState.RECONNECTING,
            new Cause(499, "odd", "Odd"), FRESH, Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "10th failure in 10 minutes opens the breaker: FAILED + alert",
            SessionState.RECONNECTING, Cause.connectionLost(), NINE_RECENT_FAILURES,
            Decision.Fail.class, AlertKind.BREAKER_OPEN),
        policy(Row.TRANSIENT, "failures older than the window do not open the breaker",
            SessionState.RECONNECTING, Cause.connectionLost(), NINE_OLD_FAILURES,
            Decision.RetryLater.class, null),
        policy(Row.BAD_SESSION_500, "500 once: as transient", SessionState.RECONNECTING,
            Cause.badSession(), FRESH, Decision.RetryLater.class, null),
        policy(Row.BAD_SESSION_500, "500 three times in a row: FAILED, alert to clear",
            SessionState.RECONNECTING, Cause.badSession(), TWO_BAD_SESSIONS,
            Decision.Fail.class, AlertKind.BAD_SESSION),
        policy(Row.CONFLICT_440, "440: never reconnect, CONFLICT + alert", SessionState.CONFLICT,
            Cause.conflict(), FRESH, Decision.AwaitPerson.class, AlertKind.CONFLICT),
        policy(Row.CONFLICT_440, "440 even after a 515 while linking", SessionState.CONFLICT,
            Cause.conflict(), RESTARTED_WHILE_LINKING, Decision.AwaitPerson.class,
            AlertKind.CONFLICT),
        policy(Row.LOGGED_OUT_401, "401: archive, LOGGED_OUT, alert", SessionState.LOGGED_OUT,
            Cause.loggedOut(), FRESH, Decision.AwaitPerson.class, AlertKind.LOGGED_OUT),
        policy(Row.LOGGED_OUT_401, "401 whose credentials could not be archived: FAILED +"
                + " critical alert to clear", SessionState.FAILED,
            new Cause(401, Cause.ARCHIVE_FAILED, "archiving failed"), FRESH, Decision.Fail.class,
            AlertKind.ARCHIVE_FAILED),
        policy(Row.TRANSIENT, "engine unavailable: backoff", SessionState.RECONNECTING,
            new Cause(null, Cause.ENGINE_UNAVAILABLE, "node missing"), FRESH,
            Decision.RetryLater.class, null),
        policy(Row.TRANSIENT, "credentials write failed: backoff", SessionState.RECONNECTING,
            new Cause(null, Cause.CREDS_WRITE_FAILED, "disk full"), FRESH,
            Decision.RetryLater.class, null),
        policy(Row.LOGGED_OUT_401, "401 right after a 515 while linking: failed link, new QR",
            SessionState.LOGGED_OUT, Cause.loggedOut(), RESTARTED_WHILE_LINKING,
            Decision.ArchiveAndOfferQr.class, null),
        policy(Row.BANNED, "402: BANNED, critical alert", SessionState.BANNED,
            Cause.banned(402), FRESH, Decision.AwaitPerson.class, AlertKind.BANNED),
        policy(Row.BANNED, "403: BANNED, critical alert", SessionState.BANNED,
            Cause.banned(403), FRESH, Decision.AwaitPerson.class, AlertKind.BANNED),
        policy(Row.BANNED, "406: BANNED, critical alert", SessionState.BANNED,
            Cause.banned(406), FRESH, Decision.AwaitPerson.class, AlertKind.BANNED),
        policy(Row.OUTDATED, "405: FAILED, engine must be upgraded", SessionState.FAILED,
            Cause.outdated(405), FRESH, Decision.Fail.class, AlertKind.OUTDATED),
        policy(Row.OUTDATED, "411: FAILED, engine must be upgraded", SessionState.FAILED,
            Cause.outdated(411), FRESH, Decision.Fail.class, AlertKind.OUTDATED),
        policy(Row.QR_ATTEMPTS_ENDED_408, "408 QR attempts ended: STOPPED, no QR loop",
            SessionState.STOPPED, Cause.qrExpired(), LINKING, Decision.Stop.class, null),
        decrypts("Bad MAC burst on one contact: repair that contact once, org not degraded",
            () -> {
              DecryptFailureTracker t = DecryptFailureTracker.withDefaults();
              assertEquals(1, repairs(t, "a@s.whatsapp.net", 30));
              assertFalse(t.isDegraded("2"));
            }),
        decrypts("a few failures of one contact: nothing to repair", () -> {
          DecryptFailureTracker t = DecryptFailureTracker.withDefaults();
          assertEquals(0, repairs(t, "a@s.whatsapp.net",
              DecryptFailureTracker.DEFAULT_PER_CONTACT - 1));
        }),
        decrypts("many contacts over the threshold: health degraded (alert suggests clear)",
            () -> {
              DecryptFailureTracker t = DecryptFailureTracker.withDefaults();
              boolean became = false;
              for (String c : new String[] {"a", "b", "c"}) {
                for (int i = 0; i < DecryptFailureTracker.DEFAULT_PER_CONTACT; i++) {
                  became |= t.record("2", c, NOW.plusSeconds(i)).becameDegraded();
                }
              }
              assertTrue(became);
              assertTrue(t.isDegraded("2"));
            }),
        stale("stopped and idle 31 days: stale", SessionState.STOPPED, Duration.ofDays(31),
            true),
        stale("logged out and idle 31 days: stale", SessionState.LOGGED_OUT,
            Duration.ofDays(31), true),
        stale("stopped and idle 29 days: not yet", SessionState.STOPPED, Duration.ofDays(29),
            false),
        stale("connected, even idle 31 days: never stale", SessionState.CONNECTED,
            Duration.ofDays(31), false),
        stale("reconnecting, idle 31 days: busy, not stale", SessionState.RECONNECTING,
            Duration.ofDays(31), false));
  }

  @ParameterizedTest(name = "[{0}] {1}")
  @MethodSource("designTable")
  void everyRowOfTheDesignTableDecidesAsWritten(Row row, String name, Executable check)
      throws Throwable {
    check.execute();
  }

  @Test
  void theTableHasACaseForEveryRowOfDesignSection3() {
    Set<Row> covered = designTable().map(a -> (Row) a.get()[0])
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Row.class)));
    assertEquals(EnumSet.allOf(Row.class), covered);
    assertEquals(10, Row.values().length, "DESIGN §3 has ten rows");
  }
}
