package dev.vigia.dashboard.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.dashboard.account.AccountStoreException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link AccountStore} must do (the accounts file, PostgreSQL): a concrete test says
 * how to make an empty store and how to open the same storage again, as a restart would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AccountStoreContractTest {

  protected Vertx vertx;
  protected AccountStore store;

  protected abstract AccountStore newStore(Vertx vertx) throws Exception;

  protected abstract AccountStore reopen(Vertx vertx) throws Exception;

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = newStore(vertx);
    await(store.open());
  }

  protected AccountStore reopened() throws Exception {
    AccountStore again = reopen(vertx);
    await(again.open());
    return again;
  }

  @Test
  void orgsUsersAndKeysSurviveARestartWhole() throws Exception {
    Org two = new Org("2", "CompuEasys Ñ", List.of("a@example.com", "b@example.com"),
        "https://hooks.example.com/x?y=1", "en");
    Org four = new Org("4", "Four", List.of(), null);
    await(store.createOrg(two));
    await(store.createOrg(four));
    User ana = new User("ana", "pbkdf2-hash-of-ana", User.OPERATOR, List.of("4", "2"));
    User root = new User("root", "pbkdf2-hash-of-root", User.ADMIN, List.of());
    await(store.createUser(ana));
    await(store.createUser(root));
    ApiKeys.Generated key = ApiKeys.generate("2", "crm", Instant.parse("2026-01-01T00:00:00Z"));
    await(store.createApiKey(key.stored()));

    AccountStore again = reopened();
    assertEquals(List.of(two, four), await(again.listOrgs()), "sorted by id, every field kept");
    assertEquals(two, await(again.findOrg("2")).orElseThrow());
    assertTrue(await(again.findOrg("9")).isEmpty());
    assertEquals(List.of(ana, root), await(again.listUsers()), "sorted by name");
    assertEquals(List.of("4", "2"), await(again.findUser("ana")).orElseThrow().orgs(),
        "an operator's orgs in the order given");
    assertEquals(key.stored(), await(again.findApiKeyByHash(ApiKeys.hash(key.value())))
        .orElseThrow());
    assertEquals(List.of(key.stored()), await(again.listApiKeys("2")));
    assertTrue(await(again.findApiKeyByHash(ApiKeys.hash("vgk_not-a-key"))).isEmpty());
  }

  @Test
  void anOrgCanBeChanged() throws Exception {
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    Org changed = new Org("2", "Two", List.of("ops@example.com"), "https://h.example.com", "en");
    assertEquals(changed, await(store.updateOrg(changed)));
    assertEquals(changed, await(reopened().findOrg("2")).orElseThrow());
    assertEquals(Reason.NOT_FOUND, refusal(store.updateOrg(new Org("9", "x", List.of(), null))));
  }

  @Test
  void deletingAnOrgTakesItsKeysAndMembershipsWithIt() throws Exception {
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    await(store.createOrg(new Org("4", "four", List.of(), null)));
    await(store.createUser(new User("ana", "x", User.OPERATOR, List.of("2", "4"))));
    ApiKeys.Generated key = ApiKeys.generate("2", null, Instant.parse("2026-01-01T00:00:00Z"));
    await(store.createApiKey(key.stored()));
    await(store.deleteOrg("2"));
    AccountStore again = reopened();
    assertTrue(await(again.findOrg("2")).isEmpty());
    assertEquals(List.of("4"), await(again.findUser("ana")).orElseThrow().orgs());
    assertTrue(await(again.findApiKeyByHash(key.stored().hash())).isEmpty());
    assertTrue(await(again.listApiKeys("2")).isEmpty());
  }

  @Test
  void takenNamesAndMissingOrgsAreRefused() throws Exception {
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    await(store.createUser(new User("ana", "x", User.OPERATOR, List.of("2"))));
    assertEquals(Reason.CONFLICT, refusal(store.createOrg(new Org("2", "again", List.of(), null))));
    assertEquals(Reason.CONFLICT, refusal(store.createUser(
        new User("ana", "y", User.ADMIN, List.of()))));
    assertEquals(Reason.NOT_FOUND, refusal(store.createUser(
        new User("bob", "x", User.OPERATOR, List.of("2", "9")))));
    assertTrue(await(store.findUser("bob")).isEmpty(), "nothing of a refused user is kept");
    assertEquals(Reason.NOT_FOUND, refusal(store.deleteOrg("9")));
    assertEquals(Reason.NOT_FOUND, refusal(store.createApiKey(
        ApiKeys.generate("9", null, Instant.parse("2026-01-01T00:00:00Z")).stored())));
    assertEquals(Reason.NOT_FOUND, refusal(store.deleteUser("nobody")));
    assertEquals(Reason.NOT_FOUND, refusal(store.updateUser("nobody", u -> u)));
    assertEquals("two", await(reopened().findOrg("2")).orElseThrow().name());
  }

  @Test
  void concurrentChangesAreAllKept() throws Exception {
    await(Future.all(IntStream.range(0, 20)
        .mapToObj(i -> store.createOrg(new Org("org" + i, "n" + i, List.of(), null))).toList()));
    assertEquals(20, await(reopened().listOrgs()).size());
  }

  @Test
  void revokedKeysUpdatedAndDeletedUsersStaySoAfterARestartAndTheLastAdminStays()
      throws Exception {
    await(store.createOrg(new Org("2", "CompuEasys", List.of(), null)));
    await(store.createUser(new User("root", "h1", User.ADMIN, List.of())));
    await(store.createUser(new User("ana", "h2", User.OPERATOR, List.of("2"))));
    ApiKeys.Generated kept = ApiKeys.generate("2", "crm", Instant.parse("2026-01-01T00:00:00Z"));
    ApiKeys.Generated leaked = ApiKeys.generate("2", "shop", Instant.parse("2026-01-02T00:00:00Z"));
    await(store.createApiKey(kept.stored()));
    await(store.createApiKey(leaked.stored()));

    assertEquals(leaked.stored(), await(store.deleteApiKey("2", leaked.stored().id())));
    assertEquals(Reason.NOT_FOUND, refusal(store.deleteApiKey("2", leaked.stored().id())));
    assertEquals(Reason.NOT_FOUND, refusal(store.updateUser("ana",
        u -> new User("ana", "h3", u.role(), List.of("9")))), "an operator's orgs must exist");
    assertInstanceOf(IllegalArgumentException.class, failure(store.updateUser("ana",
        u -> new User("eva", "h3", u.role(), u.orgs()))), "a user cannot be renamed");
    await(store.updateUser("ana", u -> new User("ana", "h3", User.ADMIN, u.orgs())));
    await(store.deleteUser("root"));
    assertEquals(Reason.LAST_ADMIN, refusal(store.deleteUser("ana")));
    assertEquals(Reason.LAST_ADMIN, refusal(store.updateUser("ana",
        u -> new User("ana", "h3", User.OPERATOR, List.of("2")))));

    AccountStore again = reopened();
    assertEquals(List.of(kept.stored()), await(again.listApiKeys("2")));
    assertTrue(await(again.findApiKeyByHash(ApiKeys.hash(leaked.value()))).isEmpty());
    assertTrue(await(again.findUser("root")).isEmpty());
    User ana = await(again.findUser("ana")).orElseThrow();
    assertEquals("h3", ana.passwordHash());
    assertTrue(ana.isAdmin());
  }

  protected static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    }
  }

  protected static Throwable failure(Future<?> future) throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  protected static Reason refusal(Future<?> future) throws Exception {
    return assertInstanceOf(AccountStoreException.class, failure(future)).reason();
  }
}
