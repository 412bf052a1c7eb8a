package dev.vigia.monitor.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daily-counts contract against PostgreSQL, and what several nodes need: counts made by
 * two nodes for the same org and day at the same time all add up.
 */
class PgDailyCountsTest extends DailyCountsContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected DailyCounts newCounts(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return reopen(vertx);
  }

  @Override
  protected DailyCounts reopen(Vertx vertx) {
    return new PgDailyCounts(vertx, TestPostgres.pool(vertx, db), clock, metrics);
  }

  @Test
  void twoNodesCountingTheSameOrgAndDayAtOnceLoseNothing() throws Exception {
    List<Future<Void>> nodes = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      // each node: its own event loop, pool and counts, counting in bursts
      Context context = vertx.getOrCreateContext();
      DailyCounts node = reopen(vertx);
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        Future<Void> chain = node.load();
        for (int burst = 0; burst < 20; burst++) {
          chain = chain.compose(x -> {
            for (int i = 0; i < 50; i++) {
              node.sent("2");
            }
            node.reconnect("2");
            return node.durable();
          });
        }
        chain.compose(x -> node.close()).onComplete(done);
      });
      nodes.add(done.future());
    }
    Future.all(nodes).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    StatsPage page = onLoop(() -> counts.page("2", 1));
    assertEquals(new StatsPage.Day(DAY, 2 * 20 * 50, 0, 2 * 20), page.days().get(0));
  }

  @Test
  void daysOlderThanAYearAreTrimmedAtLoad() throws Exception {
    TestPostgres.execute(db, "INSERT INTO org (org) VALUES ('2')");
    TestPostgres.execute(db, "INSERT INTO daily_stats (org, day, sent) VALUES"
        + " ('2', DATE '2025-02-27', 5), ('2', DATE '2025-03-01', 7)");
    onLoop(counts::load);
    assertEquals("2025-03-01", TestPostgres.value(db,
        "SELECT string_agg(day::text, ',') FROM daily_stats"), "366 days are kept, older ones go");
  }
}
