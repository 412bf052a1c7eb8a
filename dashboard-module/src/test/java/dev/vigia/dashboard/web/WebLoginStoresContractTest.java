package dev.vigia.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the dashboard's small stores must do, whatever keeps them (memory for the file store,
 * PostgreSQL): web logins, the login throttle and idempotency keys. A concrete test says how to
 * make each over empty storage, on the test's clock.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class WebLoginStoresContractTest {

  protected final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  protected Vertx vertx;
  protected WebSessions sessions;
  protected LoginThrottle throttle;
  protected IdempotentSends sends;

  protected abstract WebSessions newSessions(Vertx vertx) throws Exception;

  protected abstract LoginThrottle newThrottle(Vertx vertx) throws Exception;

  protected abstract IdempotentSends newSends(Vertx vertx) throws Exception;

  /** Called once before the three are made: empty the storage they share. */
  protected void emptyStorage() throws Exception {}

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    emptyStorage();
    sessions = newSessions(vertx);
    throttle = newThrottle(vertx);
    sends = newSends(vertx);
  }

  // --- web logins ---------------------------------------------------------------------------

  @Test
  void aLoginIdleFor12HoursIsGoneButUseKeepsItAlive() throws Exception {
    WebSessions.WebSession used = await(sessions.create("ana"));
    WebSessions.WebSession idle = await(sessions.create("bob"));
    assertNotEquals(used.id(), idle.id());
    assertNotEquals(used.xsrfToken(), idle.xsrfToken());
    clock.advance(Duration.ofHours(11));
    WebSessions.WebSession found = await(sessions.find(used.id())).orElseThrow();
    assertEquals("ana", found.username());
    assertEquals(used.xsrfToken(), found.xsrfToken(), "the login's CSRF token comes back");
    clock.advance(Duration.ofHours(2));
    assertTrue(await(sessions.find(used.id())).isPresent(), "used 2 hours ago");
    assertTrue(await(sessions.find(idle.id())).isEmpty(), "idle for 13 hours");
    assertTrue(await(sessions.find("made-up")).isEmpty());
    assertTrue(await(sessions.find(null)).isEmpty());
  }

  @Test
  void aLogoutEndsOneLoginAndAChangedUserLosesAllOfItsOwn() throws Exception {
    WebSessions.WebSession phone = await(sessions.create("ana"));
    WebSessions.WebSession laptop = await(sessions.create("ana"));
    WebSessions.WebSession other = await(sessions.create("bob"));
    await(sessions.remove(phone.id()));
    await(sessions.remove(phone.id()));
    await(sessions.remove(null));
    assertTrue(await(sessions.find(phone.id())).isEmpty());
    assertTrue(await(sessions.find(laptop.id())).isPresent());
    await(sessions.removeUser("ana"));
    assertTrue(await(sessions.find(laptop.id())).isEmpty());
    assertTrue(await(sessions.find(other.id())).isPresent());
  }

  // --- login throttle -----------------------------------------------------------------------

  @Test
  void fiveFailuresPerUserAndAddressBlockForFiveMinutes() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertTrue(await(throttle.attempt("admin", "10.0.0.1")).isEmpty(), "attempt " + (i + 1));
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(Duration.ofMinutes(5).minusSeconds(5),
        await(throttle.attempt("admin", "10.0.0.1")).orElseThrow(), "until the first one ages out");
    assertTrue(await(throttle.attempt("admin", "10.0.0.2")).isEmpty(), "another address");
    assertTrue(await(throttle.attempt("ana", "10.0.0.1")).isEmpty(), "another user");
    clock.advance(Duration.ofMinutes(5));
    assertTrue(await(throttle.attempt("admin", "10.0.0.1")).isEmpty(), "the window has passed");
  }

  @Test
  void aSuccessForgetsEarlierFailures() throws Exception {
    for (int i = 0; i < 4; i++) {
      await(throttle.attempt("admin", "10.0.0.1"));
    }
    await(throttle.succeeded("admin", "10.0.0.1"));
    for (int i = 0; i < 5; i++) {
      assertTrue(await(throttle.attempt("admin", "10.0.0.1")).isEmpty());
    }
    assertTrue(await(throttle.attempt("admin", "10.0.0.1")).isPresent());
  }

  // --- idempotency keys ---------------------------------------------------------------------

  @Test
  void aRetryGetsTheFirstAnswerAndTheMessageGoesOutOnce() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    SendReceipt first = await(sends.once("2", "k-1", () -> send(sent, "m1")));
    SendReceipt again = await(sends.once("2", "k-1", () -> send(sent, "m2")));
    assertEquals(new SendReceipt("m1", "sent"), first);
    assertEquals(first, again);
    assertEquals(1, sent.get());
    assertEquals(new SendReceipt("m3", "sent"), await(sends.once("4", "k-1", () -> send(sent, "m3"))),
        "keys are per org");
    assertEquals(new SendReceipt("m4", "sent"), await(sends.once("2", null, () -> send(sent, "m4"))));
    assertEquals(new SendReceipt("m5", "sent"), await(sends.once("2", null, () -> send(sent, "m5"))),
        "no key: every call sends");
  }

  @Test
  void retriesWhileTheSendIsUnderWayShareIt() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    Promise<SendReceipt> gateway = Promise.promise();
    Future<SendReceipt> first = sends.once("2", "k-2", () -> {
      sent.incrementAndGet();
      return gateway.future();
    });
    Future<SendReceipt> retry = sends.once("2", "k-2", () -> send(sent, "other"));
    gateway.complete(new SendReceipt("m1", "sent"));
    assertEquals(new SendReceipt("m1", "sent"), await(first));
    assertEquals(new SendReceipt("m1", "sent"), await(retry));
    assertEquals(1, sent.get());
  }

  @Test
  void aFailedSendIsForgottenSoItMayBeTriedAgain() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    Throwable failed = failure(sends.once("2", "k-3",
        () -> Future.failedFuture(new IllegalStateException("no session"))));
    assertEquals("no session", failed.getMessage());
    assertEquals(new SendReceipt("m1", "sent"), await(sends.once("2", "k-3", () -> send(sent, "m1"))));
    assertEquals(1, sent.get());
  }

  @Test
  void aKeyIsRememberedForADay() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    await(sends.once("2", "k-4", () -> send(sent, "m1")));
    clock.advance(Duration.ofHours(23));
    assertEquals("m1", await(sends.once("2", "k-4", () -> send(sent, "m2"))).id());
    clock.advance(Duration.ofHours(2));
    assertEquals("m3", await(sends.once("2", "k-4", () -> send(sent, "m3"))).id(),
        "after a day the key is new again");
  }

  protected static Future<SendReceipt> send(AtomicInteger sent, String id) {
    sent.incrementAndGet();
    return Future.succeededFuture(new SendReceipt(id, "sent"));
  }

  protected static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    }
  }

  protected static Throwable failure(Future<?> future) throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return assertInstanceOf(Throwable.class, e.getCause());
    }
  }
}
