package dev.vigia.dashboard.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts contract against PostgreSQL, and what several nodes need: two nodes demoting the
 * last two admins at once leave one admin; the tables hold hashes only.
 */
class PgAccountStoreTest extends AccountStoreContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected AccountStore newStore(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return reopen(vertx);
  }

  @Override
  protected AccountStore reopen(Vertx vertx) {
    return new PgAccountStore(TestPostgres.pool(vertx, db));
  }

  @Test
  void twoNodesDemotingTheLastTwoAdminsAtOnceLeaveOne() throws Exception {
    for (int round = 0; round < 5; round++) {
      TestPostgres.emptyTables(db);
      await(store.createUser(new User("a", "h", User.ADMIN, List.of())));
      await(store.createUser(new User("b", "h", User.ADMIN, List.of())));
      AccountStore nodeA = reopen(vertx);
      AccountStore nodeB = reopen(vertx);
      List<Future<User>> both = new ArrayList<>(List.of(
          nodeA.updateUser("a", u -> new User("a", "h", User.OPERATOR, List.of())),
          nodeB.updateUser("b", u -> new User("b", "h", User.OPERATOR, List.of()))));
      Future.join(new ArrayList<>(both)).toCompletionStage().toCompletableFuture()
          .handle((v, e) -> null).get();
      assertEquals(1, both.stream().filter(Future::succeeded).count(), "round " + round);
      assertEquals(1, await(store.listUsers()).stream().filter(User::isAdmin).count());
    }
  }

  @Test
  void twoNodesStartingTogetherOnAnEmptyDatabaseMakeOneFirstAdminAndBothStart(@TempDir Path a,
      @TempDir Path b) throws Exception {
    PasswordHasher hasher = new PasswordHasher(210_000);
    for (int round = 0; round < 5; round++) {
      TestPostgres.emptyTables(db);
      Files.deleteIfExists(a.resolve(FirstAdmin.PASSWORD_FILE));
      Files.deleteIfExists(b.resolve(FirstAdmin.PASSWORD_FILE));
      // both look before either writes: the race of two nodes' first start
      AccountStore nodeA = slowToLook(reopen(vertx));
      AccountStore nodeB = slowToLook(reopen(vertx));
      Future<Boolean> startA = FirstAdmin.ensure(vertx, nodeA, hasher, "admin", null, a);
      Future<Boolean> startB = FirstAdmin.ensure(vertx, nodeB, hasher, "admin", null, b);
      List<Boolean> made = List.of(await(startA), await(startB));
      assertEquals(1, made.stream().filter(Boolean::booleanValue).count(),
          "one node made the first admin, and both starts went on: round " + round);
      Path kept = made.get(0) ? a : b;
      Path gone = made.get(0) ? b : a;
      assertFalse(Files.exists(gone.resolve(FirstAdmin.PASSWORD_FILE)),
          "no file with a password of nobody");
      User admin = await(store.listUsers()).stream().filter(User::isAdmin).findFirst()
          .orElseThrow();
      assertTrue(hasher.verify(Files.readString(kept.resolve(FirstAdmin.PASSWORD_FILE)).strip(),
          admin.passwordHash()), "the kept file's password logs the admin in");
    }
  }

  /** The store as a node sees it at its first start: its look at the users takes a moment. */
  private AccountStore slowToLook(AccountStore store) {
    return (AccountStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {AccountStore.class}, (proxy, method, args) -> {
          Object result = method.invoke(store, args);
          if (method.getName().equals("listUsers")) {
            io.vertx.core.Promise<Object> later = io.vertx.core.Promise.promise();
            ((Future<?>) result).onComplete(ar -> vertx.setTimer(200, t -> later.handle(
                ar.map(x -> (Object) x))));
            return later.future();
          }
          return result;
        });
  }

  @Test
  void theTablesHoldHashesOnly() throws Exception {
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    ApiKeys.Generated key = ApiKeys.generate("2", "crm", Instant.parse("2026-01-01T00:00:00Z"));
    await(store.createApiKey(key.stored()));
    String hash = new PasswordHasher(PasswordHasher.MIN_ITERATIONS).hash("s3cret-password");
    await(store.createUser(new User("ana", hash, User.OPERATOR, List.of("2"))));
    String all = TestPostgres.value(db, "SELECT (SELECT string_agg(hash, ',') FROM api_key)"
        + " || (SELECT string_agg(password_hash, ',') FROM app_user)");
    assertTrue(all.contains(ApiKeys.hash(key.value())) && all.contains(hash));
    assertTrue(!all.contains(key.value()) && !all.contains("s3cret-password"));
  }

  @Test
  void forgettingTheOrgRowTakesItsAccountKeysAndMemberships() throws Exception {
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    await(store.createUser(new User("ana", "x", User.OPERATOR, List.of("2"))));
    await(store.createApiKey(ApiKeys.generate("2", null, Instant.now()).stored()));
    TestPostgres.execute(db, "DELETE FROM org WHERE org = '2'");
    assertTrue(await(store.findOrg("2")).isEmpty());
    assertEquals(List.of(), await(store.findUser("ana")).orElseThrow().orgs());
    assertTrue(await(store.listApiKeys("2")).isEmpty());
  }
}
