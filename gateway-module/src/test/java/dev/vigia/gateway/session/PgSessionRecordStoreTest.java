package dev.vigia.gateway.session;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session-record contract against PostgreSQL, and what only a database can show. */
class PgSessionRecordStoreTest extends SessionRecordStoreContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected SessionRecordStore newStore(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return reopen(vertx);
  }

  @Override
  protected SessionRecordStore reopen(Vertx vertx) {
    return new PgSessionRecordStore(TestPostgres.pool(vertx, db), Clock.systemUTC());
  }

  @Test
  void forgettingTheOrgRowTakesItsRecord() throws Exception {
    result(store.save(TWO));
    result(store.save(FOUR));
    TestPostgres.execute(db, "DELETE FROM org WHERE org = '2'");
    assertEquals(List.of(FOUR), result(reopen(vertx).loadAll()));
  }

  @Test
  void anUnreadableRowIsSkippedAndTheOthersLoad() throws Exception {
    result(store.save(FOUR));
    TestPostgres.execute(db, "INSERT INTO org (org) VALUES ('7')");
    TestPostgres.execute(db, "INSERT INTO session_record (org, record, saved_at)"
        + " VALUES ('7', '{\"org\": \"7\", \"state\": \"NOT_A_STATE\"}', now())");
    assertEquals(List.of(FOUR), result(reopen(vertx).loadAll()));
  }
}
