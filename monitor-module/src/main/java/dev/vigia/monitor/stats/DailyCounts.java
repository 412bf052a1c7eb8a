package dev.vigia.monitor.stats;

import dev.vigia.common.monitor.StatsPage;
import io.vertx.core.Future;

/**
 * Each org's daily counts (sent, failed, reconnects) as the monitor keeps them: counted on its
 * event loop, answered to the stats query. {@link StatsKeeper} keeps them in the data dir (a
 * group-committed counter log), {@link PgDailyCounts} in PostgreSQL (added in SQL, so several
 * nodes may count at once). A count that cannot be written is counted
 * ({@code vigia_stats_write_failures_total}), logged and tried again. Use from one event loop.
 */
public interface DailyCounts {

  /** Reads what is stored; call once, before counting. */
  Future<Void> load();

  void sent(String org);

  void failed(String org);

  void reconnect(String org);

  /** The last {@code days} UTC days of {@code org}, oldest first, once what was counted is durable. */
  Future<StatsPage> page(String org, int days);

  /** Completes when every count taken so far is written, or its write has failed. */
  Future<Void> durable();

  /** Writes what is left; call after the last count. */
  Future<Void> close();
}
