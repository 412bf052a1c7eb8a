package dev.vigia.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.monitor.journal.FileJournal;
import dev.vigia.monitor.stats.DailyStats;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.time.VirtualScheduler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's queries and jobs on a real bus, in simulated time: health, daily stats (and their
 * file), the stale list and the reaper, and backoffs that wait for the virtual clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MonitorServicesTest {

  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dataDir;
  Vertx vertx;
  ManualClock clock;
  VirtualScheduler scheduler;
  FakeGateway gateway;
  FileJournal journal;
  MonitorVerticle monitor;
  String monitorId;
  final List<ForgetRequest> forgets = new CopyOnWriteArrayList<>();
  final List<PurgeArchivesRequest> purges = new CopyOnWriteArrayList<>();
  volatile List<SessionView> listed = List.of();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    clock = new ManualClock(START);
    scheduler = new VirtualScheduler(clock);
    gateway = new FakeGateway();
    await(vertx.deployVerticle(gateway));
    vertx.eventBus().<JsonObject>consumer(ListRequest.ADDRESS,
        m -> m.reply(Json.toJson(new SessionList(listed))));
    vertx.eventBus().<JsonObject>consumer(ForgetRequest.ADDRESS, m -> {
      forgets.add(Json.fromJson(m.body(), ForgetRequest.class));
      m.reply(new JsonObject());
    });
    vertx.eventBus().<JsonObject>consumer(PurgeArchivesRequest.ADDRESS, m -> {
      purges.add(Json.fromJson(m.body(), PurgeArchivesRequest.class));
      m.reply(Json.toJson(new PurgeResult(2)));
    });
    deploy();
  }

  void deploy() {
    journal = new FileJournal(vertx, dataDir);
    VigiaConfig config = VigiaConfig.defaultsOnly().with("VIGIA_DATA_DIR", dataDir.toString());
    monitor = new MonitorVerticle(config, journal, clock, new SplittableRandom(3),
        MonitorSettings.defaults(), scheduler, dataDir);
    monitorId = await(vertx.deployVerticle(monitor));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void aBackoffWaitsForSimulatedTimeNotRealTime() throws Exception {
    publish("2", SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionLost(), null);
    until(() -> gateway.settlesTo(SessionState.RECONNECTING) == 1);
    Instant nextAt = gateway.settles.get(0).reconnect().nextAt();
    Thread.sleep(1200); // longer than any first backoff in real time: still nothing
    assertTrue(gateway.connects.isEmpty(), "no attempt before the virtual clock moves");
    scheduler.advance(Duration.between(clock.instant(), nextAt));
    until(() -> gateway.connects.size() == 1);
    assertEquals(1.0, monitor.metrics().registry().get("vigia.reconnects").tag("org", "2")
        .counter().count());
    assertEquals(1.0, monitor.metrics().registry().get("vigia.disconnects").tag("code", "408")
        .counter().count());
  }

  @Test
  void healthIsDownUntilConnectedAndCountsDecryptFailuresPerHour() throws Exception {
    publish("2", SessionState.STOPPED, SessionState.STARTING, null, null);
    until(() -> health("2").status().equals(SessionHealth.DOWN));
    clock.advance(Duration.ofSeconds(5));
    publish("2", SessionState.STARTING, SessionState.CONNECTED, null, null);
    until(() -> health("2").status().equals(SessionHealth.OK));
    vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(
        new Activity("2", Activity.DECRYPT_FAILURE, "34600000001", "Bad MAC", clock.instant())));
    vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(
        new Activity("2", Activity.KEEP_ALIVE, null, null, clock.instant())));
    until(() -> health("2").decryptFailuresPerHour() == 1.0);
    clock.advance(Duration.ofMinutes(2));
    SessionHealth h = health("2");
    assertEquals(SessionState.CONNECTED, h.state());
    assertEquals(120, h.secondsInState());
    assertEquals(120L, h.keepAliveAgeSeconds());
    // three missed keep-alives: the socket may be half dead
    assertEquals(SessionHealth.DEGRADED, h.status());
    clock.advance(Duration.ofMinutes(59));
    assertEquals(0.0, health("2").decryptFailuresPerHour(), "the window is one hour");
  }

  @Test
  void statsCountPerUtcDayAndSurviveARedeploy() throws Exception {
    activity("2", Activity.MESSAGE_SENT);
    activity("2", Activity.MESSAGE_SENT);
    activity("2", Activity.MESSAGE_FAILED);
    until(() -> stats("2", 1).days().get(0).failed() == 1);
    clock.advance(Duration.ofDays(1));
    activity("2", Activity.MESSAGE_SENT);
    until(() -> stats("2", 2).days().get(1).sent() == 1);

    StatsPage page = stats("2", 3);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    assertEquals(List.of(today.minusDays(2), today.minusDays(1), today),
        page.days().stream().map(StatsPage.Day::date).toList(), "oldest first, zeros included");
    assertEquals(new StatsPage.Day(today.minusDays(1), 2, 1, 0), page.days().get(1));
    assertEquals(3.0, monitor.metrics().registry().get("vigia.messages").tag("org", "2")
        .tag("status", "sent").counter().count());

    // stopping writes what the debounce still held; a new monitor reads it back
    await(vertx.undeploy(monitorId));
    assertTrue(Files.exists(dataDir.resolve("stats/2.json")));
    deploy();
    assertEquals(page, stats("2", 3));
  }

  @Test
  void aMessageArrivingWhileTheStopWritesIsNeverCountedWithoutBeingWritten() throws Exception {
    activity("2", Activity.MESSAGE_SENT);
    until(() -> stats("2", 1).days().get(0).sent() == 1);
    AtomicBoolean once = new AtomicBoolean();
    AtomicFiles.beforeRenameForTests = () -> {
      if (once.compareAndSet(false, true)) {
        activity("2", Activity.MESSAGE_SENT);
        try {
          Thread.sleep(300); // a worker thread: gives the event loop time to take the message
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try {
      await(vertx.undeploy(monitorId));
    } finally {
      AtomicFiles.beforeRenameForTests = null;
    }
    assertTrue(once.get(), "the stop wrote the stats file");
    DailyStats.Snapshot saved = Json.mapper().readValue(
        Files.readAllBytes(dataDir.resolve("stats/2.json")), DailyStats.Snapshot.class);
    long onDisk = saved.days().values().stream().mapToLong(DailyStats.Counts::sent).sum();
    double counted = monitor.metrics().registry().get("vigia.messages").tag("org", "2")
        .tag("status", "sent").counter().count();
    assertEquals(counted, onDisk, "every message the monitor counted is in the file");
  }

  @Test
  void statsThatAFailedWriteCouldNotSaveAreWrittenByTheNextOne() throws Exception {
    Path blocker = dataDir.resolve("stats");
    Files.writeString(blocker, "a file where the stats folder goes: the debounced write fails");
    activity("2", Activity.MESSAGE_SENT);
    // the query answers once the write was tried: it failed, and that is counted
    until(() -> stats("2", 1).days().get(0).sent() == 1);
    assertTrue(monitor.metrics().registry().get("vigia.stats.write.failures").counter().count()
        >= 1.0);
    Thread.sleep(1500); // real time for the 1 s retry to try and fail again
    Files.delete(blocker);
    await(vertx.undeploy(monitorId));
    assertTrue(Files.exists(dataDir.resolve("stats/2.json")), "the stop wrote what had failed");
    deploy();
    assertEquals(1, stats("2", 1).days().get(0).sent());
  }

  @Test
  void badStatsAndHealthQueriesAreRefusedWith400() {
    for (Object bad : List.of(new StatsQuery("../x", 30), new StatsQuery("2", 0),
        new StatsQuery("2", 367), new HealthQuery("a/b"))) {
      String address = bad instanceof StatsQuery ? StatsQuery.ADDRESS : HealthQuery.ADDRESS;
      Throwable err = awaitFailure(vertx.eventBus().request(address, Json.toJson(bad)));
      assertEquals(400, assertInstanceOf(ReplyException.class, err).failureCode(), bad.toString());
    }
  }

  @Test
  void theReaperArchivesAndForgetsOnlyIdleSessionsThenPurgesOldArchives() throws Exception {
    Instant old = START.minus(Duration.ofDays(31));
    Instant recent = START.minus(Duration.ofDays(29));
    listed = List.of(
        view("idle", SessionState.STOPPED, old, old, null),
        view("recentlyUsed", SessionState.STOPPED, old, old, recent),
        view("connected", SessionState.CONNECTED, old, old, old),
        view("conflicted", SessionState.CONFLICT, old, null, null));
    StaleList dryRun = Json.fromJson(await(vertx.eventBus().<JsonObject>request(StaleQuery.ADDRESS,
        Json.toJson(new StaleQuery()))).body(), StaleList.class);
    assertEquals(List.of("idle", "conflicted"),
        dryRun.candidates().stream().map(StaleList.Candidate::org).toList());
    assertEquals(31, dryRun.candidates().get(0).idleDays());
    assertTrue(gateway.clears.isEmpty(), "the list is a dry run");

    // the daily job
    scheduler.advance(Duration.ofDays(1));
    until(() -> purges.size() == 1);
    assertEquals(List.of("idle", "conflicted"),
        gateway.clears.stream().map(c -> c.org()).toList());
    assertEquals("stale: no activity for 30 days", gateway.clears.get(0).reason());
    assertEquals(List.of("idle", "conflicted"), forgets.stream().map(ForgetRequest::org).toList());
    assertEquals(clock.instant().minus(Duration.ofDays(30)), purges.get(0).olderThan());
    assertEquals(GatewayAddresses.FORGET, ForgetRequest.ADDRESS);
    until(() -> !await(journal.newestFirst("idle", 10)).isEmpty());
    assertTrue(await(journal.newestFirst("idle", 10)).stream()
        .anyMatch(e -> e.message().startsWith("Stale session")));
    until(() -> scheduler.pendingCount() == 1);
    assertEquals(clock.instant().plus(Duration.ofDays(1)), scheduler.nextDue(), "booked for tomorrow");
  }

  // ---- helpers -----------------------------------------------------------------------------

  static SessionView view(String org, SessionState state, Instant since, Instant connected,
      Instant activity) {
    return new SessionView(org, state, since, null, null, null, connected, activity, null, null, null);
  }

  void publish(String org, SessionState from, SessionState to, Cause cause,
      SessionView.Reconnect reconnect) {
    gateway.publish(new StateChange(org, from, to, cause, null, null, null, reconnect,
        clock.instant(), gateway.nextSeq()));
  }

  void activity(String org, String kind) {
    vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(
        new Activity(org, kind, "34600000009", null, clock.instant())));
  }

  SessionHealth health(String org) {
    return Json.fromJson(await(vertx.eventBus().<JsonObject>request(HealthQuery.ADDRESS,
        Json.toJson(new HealthQuery(org)))).body(), SessionHealth.class);
  }

  StatsPage stats(String org, int days) {
    return Json.fromJson(await(vertx.eventBus().<JsonObject>request(StatsQuery.ADDRESS,
        Json.toJson(new StatsQuery(org, days)))).body(), StatsPage.class);
  }

  static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 5 s");
      }
      Thread.sleep(10); // the test thread, not an event loop
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("failed: " + e, e);
    }
  }

  static Throwable awaitFailure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
