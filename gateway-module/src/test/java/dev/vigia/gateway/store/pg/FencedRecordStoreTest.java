package dev.vigia.gateway.store.pg;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.cluster.LeaseManager.Lease;
import dev.vigia.common.cluster.NotOwnerException;
import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.pg.PgSchema;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode (issue 11): a node that lost an org (frozen past its lease, then resumed, so it
 * still believes it holds it) can neither overwrite the new owner's session record nor clear the
 * org; the database refuses, and the node is told it lost the lease, so it stops the session.
 */
class FencedRecordStoreTest {

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
    poolA = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(db.connectOptions()).using(vertx).build();
    poolB = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(db.connectOptions()).using(vertx).build();
  }

  @AfterEach
  void close() throws Exception {
    result(vertx.close());
  }

  static ClusterSettings node(String id) {
    return new ClusterSettings(true, id, "127.0.0.1", 5701, 0, List.of("127.0.0.1:5701"),
        LeaseFencingTest.LEASE, 1000, 1000);
  }

  static SessionRecord record(String org, SessionState state, String by) {
    return new SessionRecord(org, state, Instant.now(), new Cause(null, "test", by), null, null,
        null, true, 1);
  }

  @Test
  void aNodeThatLostTheOrgCannotOverwriteTheNewOwnersRecordNorClearIt() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    // node-a's clock stands still: resumed after a freeze, it still believes in its lease
    LeaseManager leasesA = new LeaseManager(vertx, poolA, node("node-a"), () -> 0L,
        (lease, why) -> lost.add(lease.org()));
    LeaseManager leasesB = new LeaseManager(vertx, poolB, node("node-b"), System::nanoTime,
        (lease, why) -> { });
    FencedRecordStore recordsA = new FencedRecordStore(poolA, Clock.systemUTC(), leasesA);
    FencedRecordStore recordsB = new FencedRecordStore(poolB, Clock.systemUTC(), leasesB);
    PgAuthStateStore storeA = new PgAuthStateStore(vertx, poolA, Clock.systemUTC(), leasesA);
    PgAuthStateStore storeB = new PgAuthStateStore(vertx, poolB, Clock.systemUTC(), leasesB);

    Lease leaseA = result(leasesA.claim("7"));
    result(recordsA.save(record("7", SessionState.CONNECTED, "node-a")));
    AuthStateWriter writerA = result(storeA.openWriter("7"));
    result(writerA.writeCreds(new JsonObject().put("owner", "node-a")));
    assertEquals(List.of("7"), result(recordsA.loadAll()).stream().map(SessionRecord::org).toList(),
        "a node reads the records of the orgs it holds");
    assertEquals(List.of(), result(recordsB.loadAll()), "and only those");

    Lease leaseB = LeaseFencingTest.claimWhenFree(leasesB, "7");
    assertTrue(leaseB.epoch() > leaseA.epoch());
    SessionRecord taken = result(recordsB.load("7"));
    assertEquals("node-a", taken.cause().message(), "the new owner reads the record it takes");
    result(recordsB.save(record("7", SessionState.STARTING, "node-b")));

    assertTrue(leasesA.holds("7"), "node-a still believes it holds the org");
    result(recordsA.save(record("7", SessionState.CONFLICT, "node-a, late")));
    assertEquals("node-b", result(recordsB.load("7")).cause().message(),
        "the stale write was refused: the record is the new owner's");
    assertEquals(leaseB.epoch(), savedEpoch("7"), "written by the new owner's claim");
    assertEquals(List.of("7"), lost, "node-a is told it lost the org, to stop its session");
    assertFalse(leasesA.holds("7"));

    Throwable clear = failure(storeA.clear("7", "late clear", "node-a"));
    assertInstanceOf(AuthStateException.class, clear);
    assertNotNull(NotOwnerException.in(clear), "a clear needs the lease too: " + clear);
    result(recordsA.delete("7"));
    assertNotNull(result(recordsB.load("7")), "nor can it delete the record");
    assertEquals("node-a", result(storeB.readCreds("7")).getString("owner"),
        "nothing was cleared");
    result(storeB.clear("7", "cleared by its owner", "node-b"));
    assertNull(result(storeB.readCreds("7")), "the owner clears under its lease");
  }

  private long savedEpoch(String org) throws Exception {
    return result(poolA.preparedQuery("SELECT lease_epoch FROM session_record WHERE org = $1")
        .execute(Tuple.of(org))).iterator().next().getLong(0);
  }
}
