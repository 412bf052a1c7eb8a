package dev.vigia.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.cluster.ClusteredVertx;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.journal.FileJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's rule for the monitor: it decides only for the sessions its node owns and only
 * from its own node's gateway, so no reconnect, settle or alert is sent twice (or by a node that
 * lost the session). On a single node it owns every org (every other monitor test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorOwnershipTest {

  /** A retry waits 1 s (with the longest jitter): time to take the org away before it is due. */
  static final MonitorSettings SLOW_RETRY = MonitorSettings.defaults()
      .withBackoff(Duration.ofMillis(1000), Duration.ofMillis(1000))
      .withBreaker(5, Duration.ofMinutes(10));

  @TempDir
  Path dataDir;
  final List<Vertx> nodes = new ArrayList<>();
  final List<Alert> alerts = new CopyOnWriteArrayList<>();
  FakeGateway gateway;

  @AfterEach
  void stop() throws Exception {
    // the journal's appends finish before the temp dir goes: undeploy waits for the monitor's
    await(Future.join(nodes.stream().map(Vertx::close).toList()));
  }

  @Test
  void noDecisionAndNoAlertForAnOrgAnotherNodeOwns() throws Exception {
    Vertx vertx = node(Vertx.vertx());
    deployMonitor(vertx, org -> !org.equals("9"), MonitorSettings.defaults());

    gateway.publish("9", SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionClosed(), null);
    gateway.publish("9", SessionState.CONNECTED, SessionState.CONFLICT, Cause.conflict(), null);
    gateway.publish("2", SessionState.CONNECTED, SessionState.CONFLICT, Cause.conflict(), null);
    until(() -> alerts.size() == 1);
    Thread.sleep(300); // the test's own thread: room for a wrong command or alert about org 9

    assertTrue(gateway.connects.isEmpty() && gateway.settles.isEmpty(), "nothing sent for 9");
    assertEquals(List.of("2"), alerts.stream().map(Alert::org).toList());
    List<JournalEntry> nine = journal(vertx, "9");
    assertEquals(2, nine.size(), "what this node's gateway said is journaled: " + nine);
    assertTrue(nine.stream().allMatch(e -> JournalEntry.STATE.equals(e.kind())), "no decision");
  }

  @Test
  void aRetryBookedBeforeTheSessionMovedToAnotherNodeIsNotSent() throws Exception {
    Set<String> owned = ConcurrentHashMap.newKeySet();
    owned.add("2");
    Vertx vertx = node(Vertx.vertx());
    deployMonitor(vertx, owned::contains, SLOW_RETRY, MonitorVerticleTest.longestWait());

    gateway.publish("2", SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionClosed(), null);
    until(() -> gateway.settles.size() == 1); // RECONNECTING, attempt 1 booked in 1 s
    Thread.sleep(200); // the settle's own state change heard while the org was still owned
    owned.remove("2"); // its lease went to another node; no state change tells the monitor
    Thread.sleep(2000);

    assertEquals(0, gateway.connects.size(), "the new owner reconnects it, not this node");
  }

  @Test
  void aMonitorDecidesOnlyFromItsOwnNodesGatewayWhileDashboardsHearEveryNode() throws Exception {
    int portA = freePort();
    int portB = freePort();
    List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    Future<Vertx> a = ClusteredVertx.start(new ClusterSettings(true, "node-a", "127.0.0.1", portA,
        0, members, 10_000, 2_000, 2_000), new VertxOptions());
    Future<Vertx> b = ClusteredVertx.start(new ClusterSettings(true, "node-b", "127.0.0.1", portB,
        0, members, 10_000, 2_000, 2_000), new VertxOptions());
    Vertx nodeA = node(await(a));
    Vertx nodeB = node(await(b));
    List<StateChange> heardOnB = new CopyOnWriteArrayList<>();
    await(nodeB.eventBus().<JsonObject>consumer(StateChange.ADDRESS,
        m -> heardOnB.add(Json.fromJson(m.body(), StateChange.class))).completion());
    deployMonitor(nodeB, org -> true, MonitorSettings.defaults());

    // node A's gateway closes org 7's session (say, it lost the lease and stopped it)
    nodeA.eventBus().publish(StateChange.ADDRESS, Json.toJson(new StateChange("7",
        SessionState.CONNECTED, SessionState.RECONNECTING, Cause.connectionClosed(), null, null,
        null, null, Instant.now(), 1)));
    until(() -> heardOnB.size() == 1); // the page on node B shows it
    // node B's gateway closes org 2's: node B's monitor decides for it
    gateway.publish("2", SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionClosed(), null);
    until(() -> gateway.connects.size() == 1);
    Thread.sleep(300);

    assertEquals(List.of("2"), gateway.connects.stream().map(c -> c.org()).toList());
    assertEquals(List.of("2"), gateway.settles.stream().map(s -> s.org()).toList());
    assertTrue(journal(nodeB, "7").isEmpty(), "node A's monitor journals node A's sessions");
  }

  private Vertx node(Vertx vertx) {
    nodes.add(vertx);
    return vertx;
  }

  private void deployMonitor(Vertx vertx, Ownership ownership, MonitorSettings settings)
      throws Exception {
    deployMonitor(vertx, ownership, settings, new SplittableRandom(7));
  }

  private void deployMonitor(Vertx vertx, Ownership ownership, MonitorSettings settings,
      RandomGenerator random) throws Exception {
    gateway = new FakeGateway();
    await(vertx.deployVerticle(gateway));
    vertx.eventBus().<JsonObject>consumer(Alert.ADDRESS,
        m -> alerts.add(Json.fromJson(m.body(), Alert.class)));
    await(vertx.deployVerticle(new MonitorVerticle(VigiaConfig.defaultsOnly(),
        new FileJournal(vertx, dataDir), Clock.systemUTC(), random, settings,
        null, null, ownership)));
  }

  private static List<JournalEntry> journal(Vertx vertx, String org) throws Exception {
    return await(vertx.eventBus()
        .<JsonObject>request(JournalQuery.ADDRESS, Json.toJson(new JournalQuery(org, 10)))
        .map(Message::body)
        .map(body -> Json.fromJson(body, JournalPage.class).entries()));
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
