package dev.vigia.gateway.store.pg;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.cluster.LeaseHeldException;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.cluster.LeaseManager.Lease;
import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.pg.PgSchema;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lease claimed by another node fences the old owner's auth-state writes (issue 11: zero stale
 * writes accepted), while the owner's own writer epochs never disturb its renewals.
 */
class LeaseFencingTest {

  static final long LEASE = 4000;
  static PgSettings db;

  Vertx vertx;
  Pool poolA;
  Pool poolB;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newDatabase();
    PgSchema.migrate(db);
  }

  @BeforeEach
  void twoNodes() {
    vertx = Vertx.vertx();
    poolA = newPool(); // each node has its own connections
    poolB = newPool();
  }

  @AfterEach
  void close() throws Exception {
    result(vertx.close());
  }

  Pool newPool() {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(db.connectOptions()).using(vertx).build();
  }

  LeaseManager manager(String node, Pool pool) {
    return new LeaseManager(vertx, pool, new ClusterSettings(true, node, "127.0.0.1", 5701, 0,
        List.of("127.0.0.1:5701"), LEASE, 1000, 1000), System::nanoTime, (lease, why) -> { });
  }

  @Test
  void theOldOwnersWriterIsRefusedOnceAnotherNodeClaimedTheOrg() throws Exception {
    LeaseManager leasesA = manager("node-a", poolA);
    LeaseManager leasesB = manager("node-b", poolB);
    PgAuthStateStore storeA = new PgAuthStateStore(vertx, poolA, Clock.systemUTC());
    PgAuthStateStore storeB = new PgAuthStateStore(vertx, poolB, Clock.systemUTC());
    Lease leaseA = result(leasesA.claim("7"));
    AuthStateWriter writerA = result(storeA.openWriter("7"));
    result(writerA.writeCreds(new JsonObject().put("owner", "node-a")));
    result(leasesA.renewNow());
    assertTrue(leasesA.holds("7"), "the owner's writer epochs do not disturb its renewals");

    // node-a stops renewing (frozen); once its lease ends node-b claims the org
    Lease leaseB = claimWhenFree(leasesB, "7");
    assertTrue(leaseB.epoch() > writerA.epoch());
    AuthStateWriter writerB = result(storeB.openWriter("7"));

    Throwable stale = failure(writerA.writeCreds(new JsonObject().put("owner", "node-a, late")));
    assertEquals(Kind.REVOKED, assertInstanceOf(AuthStateException.class, stale).kind());
    Throwable staleKeys = failure(writerA.setKeys(Map.of("pre-key", Map.of("9", "{}"))));
    assertEquals(Kind.REVOKED, assertInstanceOf(AuthStateException.class, staleKeys).kind());
    result(writerB.writeCreds(new JsonObject().put("owner", "node-b")));
    assertEquals("node-b", result(storeA.readCreds("7")).getString("owner"));
    assertEquals(Map.of(), result(storeA.getKeys("7", "pre-key", List.of("9"))));

    result(leasesA.renewNow());
    assertFalse(leasesA.holds("7"), "and node-a's renewal is refused");
    result(leasesB.renewNow());
    assertTrue(leasesB.holds("7"));
    assertEquals(leaseB.epoch(), leasesB.lease("7").epoch(),
        "node-b's claim is unchanged by its writer");
  }

  @Test
  void inClusterModeARunOpensOnlyUnderTheLeaseTheDatabaseStillGivesThisNode() throws Exception {
    // node-a's clock stands still: it goes on believing in its lease, as a frozen node resumed
    LeaseManager leasesA = new LeaseManager(vertx, poolA, new ClusterSettings(true, "node-a",
        "127.0.0.1", 5701, 0, List.of("127.0.0.1:5701"), LEASE, 1000, 1000), () -> 0L,
        (lease, why) -> { });
    LeaseManager leasesB = manager("node-b", poolB);
    PgAuthStateStore storeA = new PgAuthStateStore(vertx, poolA, Clock.systemUTC(), leasesA);
    PgAuthStateStore storeB = new PgAuthStateStore(vertx, poolB, Clock.systemUTC(), leasesB);

    Throwable noLease = failure(storeA.openWriter("8"));
    assertEquals(Kind.REVOKED, assertInstanceOf(AuthStateException.class, noLease).kind());
    assertTrue(noLease.getMessage().contains("does not hold the lease"), noLease.getMessage());

    result(leasesA.claim("8"));
    AuthStateWriter writerA = result(storeA.openWriter("8"));
    result(writerA.writeCreds(new JsonObject().put("owner", "node-a")));

    Lease leaseB = claimWhenFree(leasesB, "8"); // node-a's lease ended by the database's clock
    assertTrue(leasesA.holds("8"), "node-a still believes it holds the org");
    Throwable outbid = failure(storeA.openWriter("8"));
    assertEquals(Kind.REVOKED, assertInstanceOf(AuthStateException.class, outbid).kind(),
        "a node that lost the lease cannot open a run that would fence the new owner");
    AuthStateWriter writerB = result(storeB.openWriter("8"));
    result(writerB.writeCreds(new JsonObject().put("owner", "node-b")));
    assertEquals(Kind.REVOKED, assertInstanceOf(AuthStateException.class,
        failure(writerA.writeCreds(new JsonObject().put("owner", "node-a, late")))).kind());
    assertEquals("node-b", result(storeB.readCreds("8")).getString("owner"));
    assertEquals(leaseB.epoch(), leasesB.lease("8").epoch());
  }

  static Lease claimWhenFree(LeaseManager m, String org) throws Exception {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5 * LEASE);
    while (true) {
      Throwable refused;
      try {
        return m.claim(org).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        refused = e.getCause();
      }
      if (!(refused instanceof LeaseHeldException) || System.nanoTime() > until) {
        throw new AssertionError("could not claim " + org, refused);
      }
      Thread.sleep(50);
    }
  }
}
