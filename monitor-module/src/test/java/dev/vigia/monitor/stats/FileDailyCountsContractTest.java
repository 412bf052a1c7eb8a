package dev.vigia.monitor.stats;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The daily-counts contract against the file store ({@code stats/}, the counter log). */
class FileDailyCountsContractTest extends DailyCountsContractTest {

  @TempDir Path dataDir;

  @Override
  protected DailyCounts newCounts(Vertx vertx) {
    return reopen(vertx);
  }

  @Override
  protected DailyCounts reopen(Vertx vertx) {
    return new StatsKeeper(vertx, new StatsStore(dataDir), clock, metrics);
  }
}
