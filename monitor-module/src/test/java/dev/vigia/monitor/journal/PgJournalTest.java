package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal contract against PostgreSQL, and forgetting an org with one delete. */
class PgJournalTest extends JournalContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected Journal newJournal(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return reopen(vertx);
  }

  @Override
  protected Journal reopen(Vertx vertx) {
    return new PgJournal(TestPostgres.pool(vertx, db));
  }

  @Override
  protected void assertNothingStored() throws Exception {
    assertEquals(0, count("SELECT (SELECT count(*) FROM org) + (SELECT count(*) FROM journal_entry)"));
  }

  @Test
  void forgettingTheOrgRowTakesItsJournal() throws Exception {
    await(journal.append(entry("2", 0)));
    await(journal.append(entry("4", 1)));
    TestPostgres.execute(db, "DELETE FROM org WHERE org = '2'");
    assertTrue(await(journal.newestFirst("2", 10)).isEmpty());
    assertEquals(1, await(journal.newestFirst("4", 10)).size());
  }

  static long count(String sql) {
    return Long.parseLong(TestPostgres.value(db, sql));
  }
}
