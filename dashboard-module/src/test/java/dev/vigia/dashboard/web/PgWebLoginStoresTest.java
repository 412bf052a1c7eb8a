package dev.vigia.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against PostgreSQL, and what only a shared database gives: a login, a throttle
 * and a key outlive the process and are seen by every node.
 */
class PgWebLoginStoresTest extends WebLoginStoresContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected void emptyStorage() {
    TestPostgres.emptyTables(db);
  }

  @Override
  protected WebSessions newSessions(Vertx vertx) {
    return new PgWebSessions(TestPostgres.pool(vertx, db), clock);
  }

  @Override
  protected LoginThrottle newThrottle(Vertx vertx) {
    return new PgLoginThrottle(TestPostgres.pool(vertx, db), clock);
  }

  @Override
  protected IdempotentSends newSends(Vertx vertx) {
    return new PgIdempotentSends(TestPostgres.pool(vertx, db), clock);
  }

  @Test
  void aLoginOutlivesTheProcessAndTheTableHoldsNoCookie() throws Exception {
    WebSessions.WebSession login = await(sessions.create("ana"));
    WebSessions restarted = newSessions(vertx);
    assertEquals("ana", await(restarted.find(login.id())).orElseThrow().username());
    String stored = TestPostgres.value(db, "SELECT id_hash FROM web_login");
    assertNotNull(stored, "the login is stored");
    assertFalse(stored.contains(login.id()), "only the cookie's hash is stored");
  }

  @Test
  void guessesSpreadOverNodesAndSentAtOnceStillStopAtFive() throws Exception {
    List<Future<Optional<Duration>>> guesses = new ArrayList<>();
    for (int node = 0; node < 4; node++) {
      LoginThrottle other = newThrottle(vertx);
      for (int i = 0; i < 5; i++) {
        guesses.add(other.attempt("admin", "10.0.0.1"));
      }
    }
    await(Future.all(new ArrayList<>(guesses)));
    assertEquals(LoginThrottle.MAX_FAILURES,
        guesses.stream().filter(g -> g.result().isEmpty()).count());
  }

  @Test
  void aRetryOnAnotherNodeGetsTheAnswerOrIsToldTheSendIsUnderWay() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    Promise<SendReceipt> gateway = Promise.promise();
    Future<SendReceipt> first = sends.once("2", "k-9", () -> {
      sent.incrementAndGet();
      return gateway.future();
    });
    IdempotentSends otherNode = newSends(vertx);
    awaitClaimed("2", "k-9");
    ApiException underWay = (ApiException) failure(otherNode.once("2", "k-9",
        () -> send(sent, "twice")));
    assertEquals(409, underWay.status());
    gateway.complete(new SendReceipt("m1", "sent"));
    await(first);
    assertEquals(new SendReceipt("m1", "sent"), await(otherNode.once("2", "k-9",
        () -> send(sent, "twice"))));
    assertEquals(1, sent.get());
  }

  /** Waits (bounded) until the key's claim is in the table. */
  private static void awaitClaimed(String org, String key) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (TestPostgres.value(db, "SELECT 1 FROM idempotent_send WHERE org = ? AND key = ?",
          org, key) != null) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the claim of " + key + " never reached the table");
  }
}
