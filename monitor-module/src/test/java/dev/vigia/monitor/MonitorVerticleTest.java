package dev.vigia.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.journal.FileJournal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The monitor on a real event bus, against a fake gateway that records its commands. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class MonitorVerticleTest {

  /** Small timings: a retry waits at most 10 ms · 2^(n-1), capped at 40 ms. */
  static final MonitorSettings FAST = MonitorSettings.defaults()
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
      .withBreaker(5, Duration.ofMinutes(10));

  static final List<String> TOUCHED_ORGS = List.of("2", "4", "5", "a", "b", "c", "d");

  @TempDir
  Path dataDir;
  Vertx vertx;
  FileJournal journal;
  FakeGateway gateway;
  final List<Alert> alerts = new CopyOnWriteArrayList<>();
  final List<HealthChange> health = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    gateway = new FakeGateway();
    vertx.eventBus().<JsonObject>consumer(Alert.ADDRESS,
        m -> alerts.add(Json.fromJson(m.body(), Alert.class)));
    vertx.eventBus().consumer(HealthChange.ADDRESS,
        m -> health.add(Json.fromBody(m.body(), HealthChange.class)));
    vertx.deployVerticle(gateway).onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> deployMonitor(MonitorSettings settings, RandomGenerator random) {
    journal = new FileJournal(vertx, dataDir);
    return vertx.deployVerticle(new MonitorVerticle(VigiaConfig.defaultsOnly(), journal,
        Clock.systemUTC(), random, settings));
  }

  /** Stops the monitor, then waits for its journal appends, before the temp dir goes away. */
  @AfterEach
  void drainJournal(VertxTestContext ctx) {
    Future<Void> undeployed = Future.all(vertx.deploymentIDs().stream()
        .map(id -> vertx.undeploy(id)).toList()).mapEmpty();
    undeployed
        .compose(v -> journal == null ? Future.succeededFuture()
            : Future.all(TOUCHED_ORGS.stream().map(org -> journal.newestFirst(org, 1)).toList()))
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> deployMonitor() {
    return deployMonitor(FAST, new java.util.SplittableRandom(7));
  }

  /** Full jitter at its upper bound: every wait is the backoff ceiling. */
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

  private void publish(String org, SessionState from, SessionState to, Cause cause) {
    gateway.publish(org, from, to, cause, null);
  }

  private void publish(StateChange change) {
    gateway.publish(change);
  }

  private void decryptFailure(String org, String contact) {
    vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(
        new Activity(org, Activity.DECRYPT_FAILURE, contact, "Bad MAC", Instant.now())));
  }

  /** Completes once {@code condition} holds; fails after 5 s. */
  private Future<Void> until(BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    vertx.setPeriodic(5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      } else if (System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.tryFail("condition not met within 5 s");
      }
    });
    return done.future();
  }

  /** Lets {@code millis} pass on the bus (a vertx timer; nothing sleeps). */
  private Future<Void> after(long millis) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, id -> done.complete());
    return done.future();
  }

  private Future<List<JournalEntry>> journalOf(String org, int limit) {
    return vertx.eventBus()
        .<JsonObject>request(JournalQuery.ADDRESS, Json.toJson(new JournalQuery(org, limit)))
        .map(Message::body)
        .map(body -> Json.fromJson(body, JournalPage.class).entries());
  }

  @Test
  void aRestartAfterTheScanConnectsAtOnceWithoutAnAlert(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.STARTING, SessionState.QR_REQUIRED, null);
          publish("2", SessionState.QR_REQUIRED, SessionState.RECONNECTING,
              Cause.restartRequired());
          return until(() -> gateway.connects.size() == 1);
        })
        .compose(v -> after(100))
        .compose(v -> journalOf("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          ConnectRequest connect = gateway.connects.get(0);
          assertEquals("2", connect.org());
          assertEquals("monitor", connect.actor());
          assertFalse(connect.takeover());
          assertEquals(1, gateway.connects.size());
          assertTrue(gateway.settles.isEmpty(), "a 515 is not a failure to show");
          assertTrue(alerts.isEmpty());
          JournalEntry decision = entries.get(0);
          assertEquals(JournalEntry.DECISION, decision.kind());
          assertEquals("Restart required after the QR was scanned (515): reconnecting now",
              decision.message());
          assertEquals(515, decision.cause().code());
          assertEquals(JournalEntry.STATE, entries.get(1).kind());
          ctx.completeNow();
        })));
  }

  @Test
  void transientFaultsShowTheNextAttemptThenConnectAndStartOverOnceConnected(
      VertxTestContext ctx) {
    Instant before = Instant.now();
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionClosed());
          return until(() -> gateway.connects.size() == 1);
        })
        .compose(v -> {
          ctx.verify(() -> {
            SettleRequest first = gateway.settles.get(0);
            assertEquals(SessionState.RECONNECTING, first.state());
            assertEquals(1, first.reconnect().attempt());
            assertEquals(428, first.cause().code());
            assertEquals("monitor", first.actor());
            assertFalse(first.reconnect().nextAt().isBefore(before));
            assertFalse(first.reconnect().nextAt().isAfter(Instant.now().plusMillis(10)));
          });
          publish("2", SessionState.STARTING, SessionState.RECONNECTING, Cause.connectionLost());
          return until(() -> gateway.connects.size() == 2);
        })
        .compose(v -> {
          ctx.verify(() -> assertEquals(2, gateway.settles.get(1).reconnect().attempt()));
          publish("2", SessionState.STARTING, SessionState.CONNECTED, null);
          publish("2", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.unavailable());
          return until(() -> gateway.connects.size() == 3);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(3, gateway.settles.size());
          assertEquals(1, gateway.settles.get(2).reconnect().attempt(), "reset on CONNECTED");
          assertTrue(alerts.isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void conflictIsNeverRetriedAutomatically(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.CONFLICT, Cause.conflict());
          return until(() -> alerts.size() == 1);
        })
        .compose(v -> after(500))
        .compose(v -> journalOf("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(0, gateway.connects.size(), "two clients would evict each other forever");
          assertEquals(0, gateway.settles.size());
          assertEquals(1, alerts.size());
          Alert alert = alerts.get(0);
          assertEquals(Alert.CONFLICT, alert.kind());
          assertEquals("2", alert.org());
          assertEquals(Alert.WARNING, alert.severity());
          assertTrue(entries.stream().anyMatch(e -> JournalEntry.DECISION.equals(e.kind())
              && e.message().contains("440")));
          ctx.completeNow();
        })));
  }

  @Test
  void aDecisionForAStateTheGatewayHasLeftIsRefusedAndNeverRetried(VertxTestContext ctx) {
    // issue 7: a clear right after a connection_lost was overwritten by the retry decided before
    long closeSeq = gateway.nextSeq();
    deployMonitor()
        .compose(id -> {
          gateway.moveOn("2"); // the clear reached the gateway first; its STOPPED is on its way
          publish(new StateChange("2", SessionState.CONNECTED, SessionState.RECONNECTING,
              Cause.connectionLost(), null, null, null, null, Instant.now(), closeSeq));
          return until(() -> gateway.refused.size() == 1);
        })
        .compose(v -> after(300))
        .compose(v -> journalOf("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(closeSeq, gateway.settles.get(0).forSeq());
          assertEquals(1, gateway.settles.size(), "a refused decision is not tried again");
          assertTrue(gateway.connects.isEmpty(), "nothing scheduled for that org");
          assertTrue(entries.stream().anyMatch(e -> e.message().startsWith("Decision dropped")),
              entries.stream().map(JournalEntry::message).toList().toString());
          ctx.completeNow();
        })));
  }

  @Test
  void aStateDeliveredAfterANewerOneGetsNoDecision(VertxTestContext ctx) {
    long older = gateway.nextSeq();
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.RECONNECTING, SessionState.STOPPED,
              Cause.userRequest("Session cleared"));
          publish(new StateChange("2", SessionState.CONNECTED, SessionState.RECONNECTING,
              Cause.connectionLost(), null, null, null, null, Instant.now(), older));
          return after(300);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertTrue(gateway.settles.isEmpty(), "the STOPPED heard first stands");
          assertTrue(gateway.connects.isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void theBreakerOpensAfterTooManyFailuresInTheWindow(VertxTestContext ctx) {
    Future<Void> fourRetries = deployMonitor().mapEmpty();
    for (int i = 1; i <= 4; i++) {
      int attempt = i;
      // each close follows the monitor's previous attempt, as with a real gateway
      fourRetries = fourRetries.compose(v -> {
        publish("2", SessionState.STARTING, SessionState.RECONNECTING, Cause.connectionLost());
        return until(() -> gateway.connects.size() == attempt);
      });
    }
    fourRetries
        .compose(v -> {
          publish("2", SessionState.STARTING, SessionState.RECONNECTING, Cause.connectionLost());
          return until(() -> gateway.settlesTo(SessionState.FAILED) == 1);
        })
        .compose(v -> after(300))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(4, gateway.settlesTo(SessionState.RECONNECTING));
          assertEquals(1, gateway.settlesTo(SessionState.FAILED));
          assertEquals(1, alerts.size());
          assertEquals(Alert.BREAKER_OPEN, alerts.get(0).kind());
          assertEquals(Alert.CRITICAL, alerts.get(0).severity());
          int connectsWhenFailed = gateway.connects.size();
          after(200).onComplete(ctx.succeeding(w -> ctx.verify(() -> {
            assertEquals(connectsWhenFailed, gateway.connects.size(), "no attempt after FAILED");
            ctx.completeNow();
          })));
        })));
  }

  @Test
  void threeBadSessionsInARowFailWithAdviceToClear(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          for (int i = 0; i < 3; i++) {
            publish("2", SessionState.STARTING, SessionState.RECONNECTING, Cause.badSession());
          }
          return until(() -> gateway.settlesTo(SessionState.FAILED) == 1);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, alerts.size());
          assertEquals(Alert.BAD_SESSION, alerts.get(0).kind());
          assertTrue(alerts.get(0).message().contains("clear the session"));
          ctx.completeNow();
        })));
  }

  @Test
  void aBadMacBurstOnOneContactRepairsThatContactOnly(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          for (int i = 0; i < 12; i++) {
            decryptFailure("2", "34600000001@s.whatsapp.net");
          }
          decryptFailure("2", "34600000002@s.whatsapp.net");
          decryptFailure("2", "34600000002@s.whatsapp.net");
          return until(() -> gateway.repairs.size() == 1);
        })
        .compose(v -> after(300))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, gateway.repairs.size());
          assertEquals("2", gateway.repairs.get(0).org());
          assertEquals("34600000001@s.whatsapp.net", gateway.repairs.get(0).contact());
          assertTrue(gateway.clears.isEmpty(), "never wipe a session for Bad MAC");
          assertTrue(gateway.connects.isEmpty());
          assertTrue(gateway.settles.isEmpty());
          assertTrue(alerts.isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void decryptFailuresAcrossManyContactsDegradeTheOrgAndAlertOnce(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          for (String contact : List.of("a", "b", "c")) {
            for (int i = 0; i < 6; i++) {
              decryptFailure("2", contact);
            }
          }
          return until(() -> alerts.size() == 1 && gateway.repairs.size() == 3);
        })
        .compose(v -> after(200))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, alerts.size());
          assertEquals(Alert.DECRYPT_DEGRADED, alerts.get(0).kind());
          assertEquals(1, health.size());
          assertEquals(HealthChange.DEGRADED, health.get(0).status());
          assertTrue(gateway.clears.isEmpty(), "a clear is suggested, never done");
          ctx.completeNow();
        })));
  }

  @Test
  void whenTheNetworkComesBackWaitingOrgsRetryAtOnce(VertxTestContext ctx) {
    // with these settings a network_down retry would wait a full minute
    MonitorSettings slow = MonitorSettings.defaults()
        .withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(5));
    deployMonitor(slow, longestWait())
        .compose(id -> {
          publish("a", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.networkDown());
          publish("b", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.networkDown());
          publish("c", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.badSession());
          return until(() -> gateway.settles.size() == 3);
        })
        .compose(v -> after(100))
        .compose(v -> {
          ctx.verify(() -> assertTrue(gateway.connects.isEmpty()));
          publish("d", SessionState.STARTING, SessionState.CONNECTED, null);
          return until(() -> gateway.connects.size() == 2);
        })
        .compose(v -> after(200))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of("a", "b"),
              gateway.connects.stream().map(ConnectRequest::org).sorted().toList());
          ctx.completeNow();
        })));
  }

  /** Every retry waits exactly 200 ms: long enough to see a cancelled timer not fire. */
  private Future<String> deployMonitorWaiting200ms() {
    return deployMonitor(MonitorSettings.defaults()
        .withBackoff(Duration.ofMillis(200), Duration.ofMillis(200)), longestWait());
  }

  @Test
  void aNewerDecisionReplacesThePendingAttemptInsteadOfAddingOne(VertxTestContext ctx) {
    deployMonitorWaiting200ms()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
          return until(() -> gateway.settles.size() == 1);
        })
        .compose(v -> {
          publish("2", SessionState.RECONNECTING, SessionState.RECONNECTING,
              Cause.restartRequired());
          return until(() -> gateway.connects.size() == 1);
        })
        .compose(v -> after(500))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, gateway.connects.size(), "the 200 ms retry must not fire as well");
          ctx.completeNow();
        })));
  }

  @Test
  void aPersonStoppingTheSessionCancelsThePendingAttempt(VertxTestContext ctx) {
    deployMonitorWaiting200ms()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost());
          return until(() -> gateway.settles.size() == 1);
        })
        .compose(v -> {
          publish("2", SessionState.RECONNECTING, SessionState.STOPPED,
              Cause.userRequest("disconnect"));
          return after(500);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(0, gateway.connects.size());
          ctx.completeNow();
        })));
  }

  @Test
  void aLogoutRightAfterTheScanArchivesAndOffersANewQr(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.STOPPED, SessionState.STARTING, Cause.userRequest("connect"));
          publish("2", SessionState.STARTING, SessionState.QR_REQUIRED, null);
          publish("2", SessionState.QR_REQUIRED, SessionState.RECONNECTING,
              Cause.restartRequired());
          return until(() -> gateway.connects.size() == 1);
        })
        .compose(v -> {
          publish("2", SessionState.RECONNECTING, SessionState.STARTING, null);
          publish("2", SessionState.STARTING, SessionState.LOGGED_OUT, Cause.loggedOut());
          return until(() -> gateway.clears.size() == 1 && gateway.connects.size() == 2);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals("monitor", gateway.clears.get(0).actor());
          assertTrue(gateway.clears.get(0).reason().contains("401 after 515"));
          assertTrue(alerts.isEmpty(), "the person linking sees the new QR");
          ctx.completeNow();
        })));
  }

  @Test
  void anOrdinaryLogoutAlertsAndLeavesTheSessionLoggedOut(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.LOGGED_OUT, Cause.loggedOut());
          return until(() -> alerts.size() == 1);
        })
        .compose(v -> after(300))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(Alert.LOGGED_OUT, alerts.get(0).kind());
          assertTrue(gateway.clears.isEmpty(), "a clear would turn LOGGED_OUT into STOPPED");
          assertTrue(gateway.connects.isEmpty());
          assertTrue(gateway.settles.isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void bannedAndOutdatedAreNeverRetried(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.CONNECTED, SessionState.BANNED, Cause.banned(403));
          publish("4", SessionState.STARTING, SessionState.FAILED, Cause.outdated(405));
          publish("5", SessionState.QR_REQUIRED, SessionState.STOPPED, Cause.qrExpired());
          return until(() -> alerts.size() == 2);
        })
        .compose(v -> after(300))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(Alert.BANNED, Alert.OUTDATED),
              alerts.stream().map(Alert::kind).sorted().toList());
          assertTrue(gateway.connects.isEmpty());
          assertTrue(gateway.settles.isEmpty(), "already FAILED / STOPPED: nothing to settle");
          ctx.completeNow();
        })));
  }

  @Test
  void theJournalAnswersNewestFirstAndRefusesBadQueries(VertxTestContext ctx) {
    deployMonitor()
        .compose(id -> {
          publish("2", SessionState.STOPPED, SessionState.STARTING, Cause.userRequest("connect"));
          publish("2", SessionState.STARTING, SessionState.CONNECTED, null);
          return after(200);
        })
        .compose(v -> journalOf("2", 1))
        .compose(newest -> {
          ctx.verify(() -> {
            assertEquals(1, newest.size());
            assertEquals(SessionState.CONNECTED, newest.get(0).to());
            assertEquals("Connected to WhatsApp", newest.get(0).message());
          });
          return refusal(new JsonObject().put("org", "../x").put("limit", 10));
        })
        .compose(code -> {
          ctx.verify(() -> assertEquals(400, code));
          return refusal(new JsonObject().put("org", "2").put("limit", 0));
        })
        .compose(code -> {
          ctx.verify(() -> assertEquals(400, code));
          return refusal(new JsonObject().put("org", "2").put("limit", 1001));
        })
        .compose(code -> {
          ctx.verify(() -> assertEquals(400, code));
          return refusal(new JsonObject().put("org", "x".repeat(65)).put("limit", 5));
        })
        .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
          assertEquals(400, code);
          assertFalse(Files.exists(dataDir.resolve("journal").resolve("..")
              .resolve("x.jsonl").normalize()));
          ctx.completeNow();
        })));
  }

  private Future<Integer> refusal(JsonObject query) {
    return vertx.eventBus().request(JournalQuery.ADDRESS, query).transform(ar -> ar.succeeded()
        ? Future.failedFuture("expected a refusal of " + query)
        : Future.succeededFuture(((ReplyException) ar.cause()).failureCode()));
  }

  @Test
  void qrPayloadsAndPairingCodesNeverReachTheJournal(VertxTestContext ctx) {
    Instant in20s = Instant.now().plusSeconds(20);
    deployMonitor()
        .compose(id -> {
          publish(new StateChange("2", SessionState.STARTING, SessionState.QR_REQUIRED, null,
              new SessionView.QrCode("SECRET-QR-PAYLOAD-1", in20s), null, null, null,
              Instant.now(), gateway.nextSeq()));
          publish(new StateChange("2", SessionState.STARTING, SessionState.PAIRING_CODE, null,
              null, new SessionView.PairingCode("SECRETPC", in20s), null, null, Instant.now(),
              gateway.nextSeq()));
          return after(200);
        })
        .compose(v -> journalOf("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(2, entries.size());
          String file = Files.readString(dataDir.resolve("journal").resolve("2.jsonl"),
              StandardCharsets.UTF_8);
          assertFalse(file.contains("SECRET-QR-PAYLOAD-1"));
          assertFalse(file.contains("SECRETPC"));
          assertNotNull(entries.get(0).at());
          ctx.completeNow();
        })));
  }

  @Test
  void aConnectNobodyAnswersCountsAsAFailedAttempt(VertxTestContext ctx) {
    // no gateway at all: the connect after a 515 fails, and the monitor must not wait forever
    vertx.undeploy(vertx.deploymentIDs().iterator().next())
        .compose(v -> deployMonitor())
        .compose(id -> {
          publish("2", SessionState.QR_REQUIRED, SessionState.RECONNECTING,
              Cause.restartRequired());
          return after(300);
        })
        .compose(v -> journalOf("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertTrue(entries.stream().anyMatch(e -> e.message().contains("reconnect attempt 1")),
              "journal: " + entries.stream().map(JournalEntry::message).toList());
          ctx.completeNow();
        })));
  }
}
