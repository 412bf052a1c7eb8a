package dev.vigia.dashboard.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.dashboard.account.AccountStoreException.Reason;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin tokens contract against PostgreSQL, and what a shared database gives: a token made
 * on one node works on another, and the table holds no token.
 */
class PgTokenStoreTest extends TokenStoreContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected AccountStore newAccounts(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return new PgAccountStore(TestPostgres.pool(vertx, db));
  }

  @Override
  protected TokenStore reopen(Vertx vertx) {
    return new PgTokenStore(TestPostgres.pool(vertx, db));
  }

  @Test
  void aTokenMadeOnOneNodeWorksOnAnotherAndTheTableHoldsItsHashOnly() throws Exception {
    User root = await(accounts.findUser("root")).orElseThrow();
    AdminTokens.Generated made = AdminTokens.generate(root, "laptop", NOW);
    await(tokens.create(made.stored()));
    TokenStore otherNode = reopened();
    AdminToken found = await(otherNode.findByHash(AdminTokens.hash(made.value()))).orElseThrow();
    assertTrue(AdminTokens.stillValidFor(found, root));
    String all = TestPostgres.value(db, "SELECT string_agg(id || username || hash"
        + " || user_stamp || coalesce(label, ''), ',') FROM admin_token");
    assertTrue(all.contains(AdminTokens.hash(made.value())));
    assertFalse(all.contains(made.value()), "never the token");
    assertFalse(all.contains(root.passwordHash()), "never the password hash");
  }

  @Test
  void anIdTakenTwiceIsAConflictNotAnOutage() throws Exception {
    User root = await(accounts.findUser("root")).orElseThrow();
    AdminTokens.Generated made = AdminTokens.generate(root, null, NOW);
    await(tokens.create(made.stored()));
    AccountStoreException taken = assertInstanceOf(AccountStoreException.class,
        failure(reopened().create(made.stored())));
    assertEquals(Reason.CONFLICT, taken.reason());
  }
}
