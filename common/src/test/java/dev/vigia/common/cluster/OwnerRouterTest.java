package dev.vigia.common.cluster;

import static dev.vigia.common.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands for an org reach its owner node on a real two-node cluster (Hazelcast on 127.0.0.1,
 * leases in a real PostgreSQL), whichever node they start from, never the event bus' next node.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OwnerRouterTest {

  /** Long enough that no lease ends during a test: ownership changes only when a test says. */
  static final long LEASE = 60_000;

  static List<Vertx> vertx;
  static List<ClusterSettings> settings;
  static final List<PgDatabase> dbs = new ArrayList<>();
  static final List<LeaseManager> leases = new ArrayList<>();
  static final List<OwnerRouter> routers = new ArrayList<>();
  static final List<OwnerDirectory> directories = new ArrayList<>();
  /** Commands each node's gateway handled, by org. */
  static final List<ConcurrentMap<String, AtomicInteger>> handled = new ArrayList<>();

  @BeforeAll
  static void twoNodes() throws Exception {
    settings = TestCluster.settings(2, LEASE, 20_000, 5_000);
    vertx = TestCluster.start(settings);
    var pg = TestPostgres.newDatabase();
    for (int i = 0; i < 2; i++) {
      Vertx v = vertx.get(i);
      String self = settings.get(i).nodeId();
      PgDatabase db = PgDatabase.create(v, pg, 4);
      await(db.open());
      dbs.add(db);
      LeaseManager manager = new LeaseManager(v, db.pool(), settings.get(i), System::nanoTime,
          (lease, why) -> { });
      leases.add(manager);
      ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
      handled.add(counts);
      // this node's gateway: local only, as the gateway registers in cluster mode
      String status = NodeAddresses.local(GatewayAddresses.STATUS);
      await(v.eventBus().<JsonObject>localConsumer(status, msg -> {
        String org = msg.body().getString("org");
        counts.computeIfAbsent(org, k -> new AtomicInteger()).incrementAndGet();
        msg.reply(new JsonObject().put("node", self).put("org", org));
      }).completion());
      await(v.eventBus().<JsonObject>localConsumer(NodeAddresses.local(GatewayAddresses.CONNECT),
          msg -> msg.fail(409, "organization " + msg.body().getString("org")
              + " is in CONFLICT: take over or clear")).completion());
      NodeEndpoint endpoint = new NodeEndpoint(v, self, NodeEndpoint.Ownership.byLeases(manager));
      await(endpoint.start(List.of(GatewayAddresses.STATUS, GatewayAddresses.CONNECT)));
      LeaseTable table = new LeaseTable(db.pool());
      OwnerDirectory directory = new OwnerDirectory(table::ownerOf, 60_000, System::nanoTime);
      directories.add(directory);
      routers.add(new OwnerRouter(v, self, directory));
    }
  }

  @AfterAll
  static void close() throws Exception {
    for (PgDatabase db : dbs) {
      await(db.close());
    }
    TestCluster.closeAll(vertx);
  }

  static String status(int fromNode, String org) throws Exception {
    return await(routers.get(fromNode).<JsonObject>request(GatewayAddresses.STATUS, org,
        new JsonObject().put("org", org), new DeliveryOptions())).body().getString("node");
  }

  static int handledBy(int node, String org) {
    AtomicInteger n = handled.get(node).get(org);
    return n == null ? 0 : n.get();
  }

  @Test
  void aCommandReachesTheOwnerWhicheverNodeItStartsFrom() throws Exception {
    await(leases.get(0).claim("a"));
    for (int i = 0; i < 6; i++) {
      assertEquals("node-1", status(1, "a"), "from node-2, round " + i);
      assertEquals("node-1", status(0, "a"), "from node-1, round " + i);
    }
    assertEquals(12, handledBy(0, "a"));
    assertEquals(0, handledBy(1, "a"), "the other node's gateway never saw the org");
  }

  @Test
  void anOrgNobodyOwnsIsTakenByTheNodeFirstAskedAndThenFoundThere() throws Exception {
    assertEquals("node-2", status(1, "b"));
    assertTrue(leases.get(1).holds("b"), "node-2 claimed it");
    assertEquals("node-2", status(0, "b"));
    assertEquals(0, handledBy(0, "b"));
  }

  @Test
  void aStaleDirectoryIsCorrectedByTheNodeItAsked() throws Exception {
    assertEquals("node-1", status(0, "c")); // node-1 takes it, and its directory remembers
    await(leases.get(0).release(leases.get(0).lease("c")));
    await(leases.get(1).claim("c"));

    assertEquals("node-2", status(0, "c"), "node-1 says node-2 owns it; asked there");
    assertEquals("node-2", status(0, "c"));
    assertEquals(1, handledBy(0, "c"), "only the first command, while node-1 owned it");
    assertTrue(!leases.get(0).holds("c") && leases.get(1).holds("c"), "nothing was re-claimed");
  }

  @Test
  void theOwnersRefusalComesBackAsItIs() throws Exception {
    await(leases.get(0).claim("d"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(routers.get(1)
        .request(GatewayAddresses.CONNECT, "d", new JsonObject().put("org", "d"),
            new DeliveryOptions())));
    ReplyException refused = assertInstanceOf(ReplyException.class, e.getCause());
    assertEquals(409, refused.failureCode());
    assertEquals("organization d is in CONFLICT: take over or clear", refused.getMessage());
  }

  @Test
  void manyCommandsAtOnceForManyOrgsEachReachTheirOwner() throws Exception {
    List<Future<?>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      claims.add(leases.get(i % 2).claim("m" + i));
    }
    await(Future.all(claims));
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int from = 0; from < 2; from++) {
        sent.add(routers.get(from).request(GatewayAddresses.STATUS, "m" + i,
            new JsonObject().put("org", "m" + i), new DeliveryOptions()));
      }
    }
    await(Future.all(sent));
    for (int i = 0; i < 20; i++) {
      assertEquals(2, handledBy(i % 2, "m" + i), "m" + i + " by its owner");
      assertEquals(0, handledBy((i + 1) % 2, "m" + i), "m" + i + " never by the other");
    }
  }
}
