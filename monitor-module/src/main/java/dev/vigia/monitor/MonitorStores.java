package dev.vigia.monitor;

import dev.vigia.monitor.alert.AlertCooldowns;
import dev.vigia.monitor.alert.MemoryAlertCooldowns;
import dev.vigia.monitor.alert.PgAlertCooldowns;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.journal.PgJournal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.stats.DailyCounts;
import dev.vigia.monitor.stats.PgDailyCounts;
import dev.vigia.monitor.stats.StatsKeeper;
import dev.vigia.monitor.stats.StatsStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the monitor keeps what it must not forget: the journal, the daily counts (made when the
 * monitor starts, on its Vert.x and metrics) and the alert cooldowns.
 */
public record MonitorStores(Journal journal, CountsFactory stats, AlertCooldowns cooldowns) {

  /** Makes the daily counts when the monitor starts. */
  @FunctionalInterface
  public interface CountsFactory {
    DailyCounts create(Vertx vertx, Clock clock, MonitorMetrics metrics);
  }

  /**
   * The file store's: {@code journal}, the counts in {@code <statsDataDir>/stats/} (null: in
   * memory only), the cooldowns in memory (a restart forgets them).
   */
  public static MonitorStores files(Journal journal, Path statsDataDir) {
    return new MonitorStores(journal, (vertx, clock, metrics) -> new StatsKeeper(vertx,
        statsDataDir == null ? null : new StatsStore(statsDataDir), clock, metrics),
        new MemoryAlertCooldowns());
  }

  /** Everything in PostgreSQL, on {@code pool}. */
  public static MonitorStores postgres(Pool pool) {
    return new MonitorStores(new PgJournal(pool),
        (vertx, clock, metrics) -> new PgDailyCounts(vertx, pool, clock, metrics),
        new PgAlertCooldowns(pool));
  }
}
