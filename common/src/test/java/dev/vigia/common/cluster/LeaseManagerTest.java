package dev.vigia.common.cluster;

import static dev.vigia.common.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.cluster.LeaseManager.Lease;
import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session leases against a real PostgreSQL: one owner per org, an ended lease taken over with a
 * greater epoch, and an owner that cannot renew (or was paused) told to stop before anyone else
 * can claim.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaseManagerTest {

  /** Short leases so a test waits seconds, not minutes; 2 × renew + margin ≤ lease. */
  static final long LEASE = 3000;
  static final long RENEW = 600;
  static final long MARGIN = 800;

  private static Vertx vertx;
  private static PgDatabase db;
  private static LeaseTable table;
  private static int orgCounter;

  /** The leases one manager was told it lost, in order. */
  record Lost(Lease lease, String why, long at) {
    Lost(Lease lease, String why) {
      this(lease, why, System.nanoTime());
    }
  }

  @BeforeAll
  static void database() throws Exception {
    vertx = Vertx.vertx();
    PgSettings settings = TestPostgres.newDatabase();
    db = PgDatabase.create(vertx, settings, 8);
    await(db.open());
    table = new LeaseTable(db.pool());
  }

  @AfterAll
  static void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  static ClusterSettings node(String id) {
    return new ClusterSettings(true, id, "127.0.0.1", 5701, 0, List.of("127.0.0.1:5701"), LEASE,
        RENEW, MARGIN);
  }

  static LeaseManager manager(String id, LongSupplier clock, BlockingQueue<Lost> lost) {
    return new LeaseManager(vertx, db.pool(), node(id), clock,
        (lease, why) -> lost.add(new Lost(lease, why)));
  }

  static synchronized String newOrg() {
    return "org" + (++orgCounter);
  }

  @Test
  void twoNodesRacingForTheSameOrgsMakeExactlyOneOwnerOfEach() throws Exception {
    LeaseManager a = manager("node-a", System::nanoTime, new LinkedBlockingQueue<>());
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    List<String> orgs = new ArrayList<>();
    List<Future<Lease>> byA = new ArrayList<>();
    List<Future<Lease>> byB = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String org = newOrg();
      orgs.add(org);
      // sent together, so both claims of an org are in flight at once
      byA.add(a.claim(org));
      byB.add(b.claim(org));
    }
    List<Future<Lease>> all = new ArrayList<>(byA);
    all.addAll(byB);
    await(Future.join(all).otherwiseEmpty()); // every claim answered, won or refused
    for (int i = 0; i < orgs.size(); i++) {
      String org = orgs.get(i);
      Future<Lease> fa = byA.get(i);
      Future<Lease> fb = byB.get(i);
      assertTrue(fa.succeeded() ^ fb.succeeded(), org + ": exactly one claim wins");
      String winner = fa.succeeded() ? "node-a" : "node-b";
      Future<Lease> loser = fa.succeeded() ? fb : fa;
      LeaseHeldException refused = assertInstanceOf(LeaseHeldException.class, loser.cause());
      assertEquals(winner, refused.owner(), "the refusal names the owner");
      assertEquals(winner, await(table.ownerOf(org)));
      assertEquals(fa.succeeded(), a.holds(org));
      assertEquals(fb.succeeded(), b.holds(org));
    }
  }

  @Test
  void anEndedLeaseIsClaimedByAnotherNodeWithAGreaterEpochAndTheOldOwnersRenewalFails()
      throws Exception {
    BlockingQueue<Lost> lostByA = new LinkedBlockingQueue<>();
    LeaseManager a = manager("node-a", System::nanoTime, lostByA);
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    Lease first = await(a.claim(org));

    ExecutionException held = assertThrows(
        ExecutionException.class, () -> await(b.claim(org)));
    assertEquals("node-a", ((LeaseHeldException) held.getCause()).owner());

    // node-a never renews (as if it died): once the lease ends, node-b takes it
    Lease second = claimWhenFree(b, org);
    assertTrue(second.epoch() > first.epoch(), "the new owner's epoch fences the old one's");
    assertEquals("node-b", await(table.ownerOf(org)));

    await(a.renewNow());
    Lost lost = lostByA.poll(5, TimeUnit.SECONDS);
    assertNotNull(lost, "node-a is told it lost the org");
    assertEquals(first, lost.lease());
    assertFalse(a.holds(org));
    assertEquals("node-b", await(table.ownerOf(org)), "the refused renewal took nothing");
    await(b.renewNow());
    assertTrue(b.holds(org), "the new owner renews");
  }

  @Test
  void anOwnerThatCannotRenewStopsBeforeAnyoneElseCanClaim() throws Exception {
    // node-a has its own connections to the database, and loses them after its claim
    PgDatabase ownDb = PgDatabase.create(vertx, db.settings(), 2);
    BlockingQueue<Lost> lostByA = new LinkedBlockingQueue<>();
    LeaseManager a = new LeaseManager(vertx, ownDb.pool(), node("node-a"), System::nanoTime,
        (lease, why) -> lostByA.add(new Lost(lease, why)));
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    await(a.claim(org));
    await(ownDb.close());
    vertx.runOnContext(v -> a.start());
    // node-b tries all along, from another thread, and notes when it first succeeds
    CompletableFuture<Long> bClaimed = CompletableFuture.supplyAsync(() -> {
      try {
        claimWhenFree(b, org);
        return System.nanoTime();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      Lost lost = lostByA.poll(10, TimeUnit.SECONDS);
      assertNotNull(lost, "node-a is told to stop");
      assertTrue(lost.why().contains("no renewal in time"), lost.why());
      long aStoppedAt = lost.at();
      long bClaimedAt = bClaimed.get(30, TimeUnit.SECONDS);
      assertTrue(aStoppedAt < bClaimedAt, "node-a stopped before node-b could claim");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(bClaimedAt - aStoppedAt) >= MARGIN / 2,
          "with about the margin to spare");
    } finally {
      vertx.runOnContext(v -> a.stop());
    }
  }

  @Test
  void aNodeFrozenPastItsLeaseLearnsItLostAndSaysStopWhenItResumes() throws Exception {
    AtomicLong monotonic = new AtomicLong(System.nanoTime());
    BlockingQueue<Lost> lostByA = new LinkedBlockingQueue<>();
    LeaseManager a = manager("node-a", monotonic::get, lostByA);
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    Lease first = await(a.claim(org));
    assertTrue(a.holds(org));

    // SIGSTOP: node-a runs nothing, its clock keeps counting (CLOCK_MONOTONIC does)
    long frozenAt = System.nanoTime();
    Lease second = claimWhenFree(b, org);
    monotonic.addAndGet(System.nanoTime() - frozenAt);

    // SIGCONT: before any timer or renewal, node-a already knows it holds nothing
    assertFalse(a.holds(org), "a resumed node never believes it still owns the org");
    assertNull(a.lease(org));
    vertx.runOnContext(v -> a.start());
    Lost lost = lostByA.poll(5, TimeUnit.SECONDS);
    assertNotNull(lost, "node-a is told to stop its session");
    assertEquals(first.epoch(), lost.lease().epoch());
    assertTrue(second.epoch() > first.epoch());
    vertx.runOnContext(v -> a.stop());
  }

  @Test
  void aFrozenNodeWhoseClockStoodStillIsToldByTheRefusedRenewal() throws Exception {
    // a clock that did not count the pause (a suspended virtual machine): the database tells
    AtomicLong monotonic = new AtomicLong(System.nanoTime());
    BlockingQueue<Lost> lostByA = new LinkedBlockingQueue<>();
    LeaseManager a = manager("node-a", monotonic::get, lostByA);
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    await(a.claim(org));
    claimWhenFree(b, org);
    assertTrue(a.holds(org), "by its own clock node-a still owns it");

    await(a.renewNow());
    Lost lost = lostByA.poll(5, TimeUnit.SECONDS);
    assertNotNull(lost);
    assertTrue(lost.why().contains("refused"), lost.why());
    assertFalse(a.holds(org));
  }

  @Test
  void aGracefulReleaseHandsTheOrgOverAtOnce() throws Exception {
    LeaseManager a = manager("node-a", System::nanoTime, new LinkedBlockingQueue<>());
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    Lease first = await(a.claim(org));

    await(a.release(first));
    assertFalse(a.holds(org));
    assertNull(await(table.ownerOf(org)));
    Lease second = await(b.claim(org)); // no waiting for the lease to end
    assertTrue(second.epoch() > first.epoch());

    await(a.release(first)); // a late release of an old claim takes nothing from node-b
    assertEquals("node-b", await(table.ownerOf(org)));
  }

  @Test
  void theOwnerKeepsItsLeaseByRenewing() throws Exception {
    BlockingQueue<Lost> lostByA = new LinkedBlockingQueue<>();
    LeaseManager a = manager("node-a", System::nanoTime, lostByA);
    LeaseManager b = manager("node-b", System::nanoTime, new LinkedBlockingQueue<>());
    String org = newOrg();
    await(a.claim(org));
    vertx.runOnContext(v -> a.start());
    try {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * LEASE);
      while (System.nanoTime() < until) {
        ExecutionException refused = assertThrows(
            ExecutionException.class, () -> await(b.claim(org)));
        assertInstanceOf(LeaseHeldException.class, refused.getCause());
        Thread.sleep(100); // the test's own thread, not an event loop
      }
      assertTrue(a.holds(org));
      assertTrue(lostByA.isEmpty(), "nothing lost while renewing: " + lostByA);
    } finally {
      vertx.runOnContext(v -> a.stop());
    }
  }

  @Test
  void liveNodesAreThoseThatBeatAndALeavingNodeIsGoneAtOnce() throws Exception {
    await(table.beat("node-x", 60_000));
    await(table.beat("node-y", 60_000));
    await(table.beat("node-z", 1));
    Thread.sleep(20);
    assertTrue(await(table.liveNodes()).containsAll(List.of("node-x", "node-y")));
    assertFalse(await(table.liveNodes()).contains("node-z"), "a node that stopped beating");
    await(table.leave("node-y"));
    assertFalse(await(table.liveNodes()).contains("node-y"));
  }

  /** Claims as soon as the lease is free (bounded: a few lease lengths). */
  static Lease claimWhenFree(LeaseManager m, String org) throws Exception {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5 * LEASE);
    while (true) {
      try {
        return await(m.claim(org));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof LeaseHeldException) || System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

}
