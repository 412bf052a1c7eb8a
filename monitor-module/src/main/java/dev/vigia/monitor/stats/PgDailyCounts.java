package dev.vigia.monitor.stats;

import dev.vigia.common.OrgId;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.pg.PgFailure;
import dev.vigia.monitor.metrics.MonitorMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily counts in PostgreSQL ({@code daily_stats}, schema V12), by group commit as in the file
 * store: a count is queued, and one statement at a time adds everything queued to its rows
 * ({@code sent = sent + n}: never read and written back, so several nodes may count the same org
 * and day). A failed write is counted, logged and its counts stay queued for the next try (an
 * ambiguous failure, a commit whose answer was lost, may then count a batch twice; a lost count
 * is the worse error). A page is read from the database once this node's counts are written, so
 * it shows every node's counts. Use from one event loop.
 */
public final class PgDailyCounts implements DailyCounts {

  private static final Logger LOG = LoggerFactory.getLogger(PgDailyCounts.class);
  private static final long RETRY_MS = 1_000;

  static final String ADD = "WITH o AS (INSERT INTO org (org) SELECT DISTINCT unnest($1::text[])"
      + " ON CONFLICT DO NOTHING)"
      + " INSERT INTO daily_stats (org, day, sent, failed, reconnects)"
      + " SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[])"
      + " ON CONFLICT (org, day) DO UPDATE SET sent = daily_stats.sent + excluded.sent,"
      + " failed = daily_stats.failed + excluded.failed,"
      + " reconnects = daily_stats.reconnects + excluded.reconnects";
  static final String PAGE = "SELECT day, sent, failed, reconnects FROM daily_stats"
      + " WHERE org = $1 AND day BETWEEN $2 AND $3";
  /** The oldest days go, as the file store keeps {@link DailyStats#KEEP_DAYS}. */
  static final String TRIM = "DELETE FROM daily_stats WHERE day < $1";

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final MonitorMetrics metrics;
  /** Counts not written yet: "org\nday" → {sent, failed, reconnects}. */
  private Map<String, long[]> queued = new LinkedHashMap<>();
  private boolean writing;
  private boolean closing;
  private long retryTimer = -1;
  private Promise<Void> nextWrite = Promise.promise();
  private Future<Void> currentWrite = Future.succeededFuture();

  public PgDailyCounts(Vertx vertx, Pool pool, Clock clock, MonitorMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> load() {
    LocalDate oldest = today().minusDays(DailyStats.KEEP_DAYS);
    return PgFailure.guard(pool.preparedQuery(TRIM).execute(Tuple.of(oldest)), LOG,
        "trim the daily stats", null).mapEmpty();
  }

  @Override
  public void sent(String org) {
    count(org, 0);
  }

  @Override
  public void failed(String org) {
    count(org, 1);
  }

  @Override
  public void reconnect(String org) {
    count(org, 2);
  }

  private void count(String org, int which) {
    if (!OrgId.isValid(org)) {
      return;
    }
    queued.computeIfAbsent(org + "\n" + today(), k -> new long[3])[which]++;
    writeNext();
  }

  @Override
  public Future<StatsPage> page(String org, int days) {
    LocalDate today = today();
    LocalDate first = today.minusDays(days - 1L);
    return durable().compose(v -> PgFailure.guard(pool.preparedQuery(PAGE)
        .execute(Tuple.of(org, first, today)), LOG, "read the daily stats", org)).map(rows -> {
          Map<LocalDate, long[]> byDay = new HashMap<>();
          for (Row row : rows) {
            byDay.put(row.getLocalDate(0),
                new long[] {row.getLong(1), row.getLong(2), row.getLong(3)});
          }
          List<StatsPage.Day> out = new ArrayList<>(days);
          for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            long[] c = byDay.getOrDefault(d, new long[3]);
            out.add(new StatsPage.Day(d, c[0], c[1], c[2]));
          }
          return new StatsPage(org, out);
        });
  }

  @Override
  public Future<Void> durable() {
    if (!queued.isEmpty()) {
      Future<Void> mine = nextWrite.future();
      writeNext();
      return mine;
    }
    return currentWrite;
  }

  @Override
  public Future<Void> close() {
    closing = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    // nothing is counted after a close: one wait covers the write under way and what is queued
    return durable().onComplete(ar -> {
      if (!queued.isEmpty()) {
        LOG.error("daily stats: the counts of {} org-day(s) could not be saved before the stop",
            queued.size());
      }
    });
  }

  /** Starts the next write unless one is under way (its end starts the next). */
  private void writeNext() {
    if (writing || queued.isEmpty()) {
      return;
    }
    Map<String, long[]> batch = queued;
    queued = new LinkedHashMap<>();
    int n = batch.size();
    String[] orgs = new String[n];
    LocalDate[] days = new LocalDate[n];
    Long[] sent = new Long[n];
    Long[] failed = new Long[n];
    Long[] reconnects = new Long[n];
    int i = 0;
    for (Map.Entry<String, long[]> e : batch.entrySet()) {
      int cut = e.getKey().indexOf('\n');
      orgs[i] = e.getKey().substring(0, cut);
      days[i] = LocalDate.parse(e.getKey().substring(cut + 1));
      sent[i] = e.getValue()[0];
      failed[i] = e.getValue()[1];
      reconnects[i] = e.getValue()[2];
      i++;
    }
    Promise<Void> done = nextWrite;
    nextWrite = Promise.promise();
    currentWrite = done.future();
    writing = true;
    pool.preparedQuery(ADD).execute(Tuple.of(orgs, days, sent, failed, reconnects))
        .onComplete(ar -> {
          writing = false;
          if (ar.failed()) {
            failed(batch, ar.cause());
          }
          // a query waiting on this write answers now; a failure is in the log and the metrics
          done.tryComplete();
          if (ar.succeeded()) {
            writeNext();
          } else if (closing) {
            nextWrite.tryComplete(); // no retry after a stop: close() reports what is left
          }
        });
  }

  private void failed(Map<String, long[]> batch, Throwable err) {
    metrics.statsWriteFailure();
    // the counts go back in front of what was counted meanwhile
    Map<String, long[]> merged = new LinkedHashMap<>(batch);
    queued.forEach((key, c) -> {
      long[] m = merged.computeIfAbsent(key, k -> new long[3]);
      for (int j = 0; j < 3; j++) {
        m[j] += c[j];
      }
    });
    queued = merged;
    LOG.warn("daily stats could not be written to PostgreSQL ({} org-day(s) kept, tried again in"
        + " {} ms): {}", batch.size(), RETRY_MS, err.toString());
    if (!closing && retryTimer == -1) {
      retryTimer = vertx.setTimer(RETRY_MS, id -> {
        retryTimer = -1;
        writeNext();
      });
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
