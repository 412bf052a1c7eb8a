package dev.vigia.monitor.stats;

import dev.vigia.common.monitor.StatsPage;
import dev.vigia.monitor.metrics.MonitorMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each org's daily counts (sent, failed, reconnects), made durable by group commit: a count is
 * taken in memory and queued; one write at a time appends everything queued to the
 * {@link StatsStore}'s counter log and fsyncs it, while what arrives meanwhile waits for the next
 * write. A crash therefore loses only the counts of the write under way (milliseconds), where a
 * debounced file rewrite lost its whole window (500 ms: 1,326 sent counted of 1,690 in a kill -9
 * run). An fsync per batch, not per count, keeps a burst of sends cheap; the log is folded into
 * the per-org files every {@link #COMPACT_EVERY} lines, at start and at close. A stats query
 * answers once what was counted before it is durable, so a number the dashboard showed survives
 * a crash. Use from one event loop.
 */
public final class StatsKeeper implements DailyCounts {

  /** Log lines after which the log is folded into the per-org files. */
  static final int COMPACT_EVERY = 10_000;
  /** After a failed write, the counts are tried again this much later (disk full, say). */
  private static final long RETRY_MS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(StatsKeeper.class);

  private final Vertx vertx;
  private final StatsStore store;
  private final Clock clock;
  private final MonitorMetrics metrics;
  private final Map<String, DailyStats> stats = new HashMap<>();
  /** Counts not handed to a write yet: org → day → {sent, failed, reconnects}. */
  private Map<String, Map<LocalDate, long[]>> queued = new LinkedHashMap<>();
  /** A batch whose write failed: written again first, with the same line numbers. */
  private List<StatsStore.Line> unwritten = List.of();
  /** Orgs changed since their file was last written. */
  private final Set<String> dirty = new HashSet<>();
  private long lastLine;
  private int linesSinceCompaction;
  private boolean writing;
  private boolean closing;
  private boolean compactRequested;
  private final Promise<Void> closed = Promise.promise();
  private long retryTimer = -1;
  /** Completes when the counts queued now are written (or their write failed). */
  private Promise<Void> nextWrite = Promise.promise();
  private Future<Void> currentWrite = Future.succeededFuture();

  /** @param store null: counts live in memory only (tests of other jobs) */
  public StatsKeeper(Vertx vertx, StatsStore store, Clock clock, MonitorMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Reads the files and replays the log (sweeping temp files a crash left). */
  public Future<Void> load() {
    if (store == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(store::load).map(loaded -> {
      stats.putAll(loaded.stats());
      lastLine = loaded.lastLine();
      dirty.addAll(loaded.unfolded());
      compactRequested = !loaded.unfolded().isEmpty();
      if (loaded.sweptTemps() > 0 || loaded.replayedLines() > 0) {
        log.info("daily stats: {} counter-log line(s) replayed, {} temp file(s) swept",
            loaded.replayedLines(), loaded.sweptTemps());
      }
      return null;
    });
  }

  public void sent(String org) {
    count(org, 0);
  }

  public void failed(String org) {
    count(org, 1);
  }

  public void reconnect(String org) {
    count(org, 2);
  }

  /**
   * The last {@code days} days of {@code org} as counted now, answered once those counts are
   * durable (counts arriving meanwhile are not in it: they may not be on disk yet).
   */
  public Future<StatsPage> page(String org, int days) {
    DailyStats s = stats.get(org);
    StatsPage page = (s == null ? new DailyStats(org) : s).page(today(), days);
    return durable().map(page);
  }

  /** Completes when every count taken so far is written, or its write has failed. */
  public Future<Void> durable() {
    if (!queued.isEmpty() || !unwritten.isEmpty()) {
      Future<Void> mine = nextWrite.future();
      writeNext();
      return mine;
    }
    return currentWrite;
  }

  /** Writes what is left and folds the log into the files; call after the last count. */
  public Future<Void> close() {
    closing = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (store == null) {
      return Future.succeededFuture();
    }
    compactRequested = true;
    writeNext(); // under way already: its end starts the compacting write
    return closed.future().compose(v -> {
      if (!unwritten.isEmpty()) {
        log.error("daily stats: {} count line(s) could not be saved before the stop",
            unwritten.size());
      }
      return vertx.executeBlocking(() -> {
        store.close();
        return null;
      });
    });
  }

  private void count(String org, int which) {
    LocalDate day = today();
    DailyStats s = stats.computeIfAbsent(org, DailyStats::new);
    long[] one = new long[3];
    one[which] = 1;
    s.add(day, one[0], one[1], one[2]);
    if (store != null) {
      queued.computeIfAbsent(org, k -> new LinkedHashMap<>())
          .computeIfAbsent(day, d -> new long[3])[which]++;
      writeNext();
    }
  }

  /** Starts the next write unless one is under way (its end starts the next). */
  private void writeNext() {
    boolean compact = compactRequested || linesSinceCompaction >= COMPACT_EVERY;
    if (writing || store == null || (queued.isEmpty() && unwritten.isEmpty() && !compact)) {
      return;
    }
    List<StatsStore.Line> batch = new ArrayList<>(unwritten);
    queued.forEach((org, days) -> days.forEach((day, c) -> {
      batch.add(new StatsStore.Line(++lastLine, org, day, c[0], c[1], c[2]));
      dirty.add(org);
    }));
    queued = new LinkedHashMap<>();
    // the files hold exactly the lines up to here: every count in memory is in this batch or before
    long through = lastLine;
    Set<String> folding = compact ? Set.copyOf(dirty) : Set.of();
    List<DailyStats.Snapshot> snapshots = folding.stream()
        .map(org -> stats.get(org).snapshot(through)).toList();
    dirty.removeAll(folding);
    compactRequested = false;
    Promise<Void> done = nextWrite;
    nextWrite = Promise.promise();
    currentWrite = done.future();
    writing = true;
    vertx.executeBlocking(() -> {
      if (!batch.isEmpty()) {
        store.append(batch);
      }
      if (compact) {
        store.compact(snapshots);
      }
      return null;
    }).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        unwritten = List.of();
        linesSinceCompaction = compact ? 0 : linesSinceCompaction + batch.size();
      } else {
        failed(batch, folding, ar.cause());
      }
      // a query waiting on this write answers now; a failure is in the log and the metrics
      done.complete();
      if (closing && (compact || ar.failed())) {
        closed.tryComplete(); // the last write: no retry after a stop
      } else if (ar.succeeded()) {
        writeNext();
      }
    });
  }

  private void failed(List<StatsStore.Line> batch, Set<String> folding, Throwable err) {
    metrics.statsWriteFailure();
    dirty.addAll(folding);
    // a failed compaction after a good append leaves lines the next compaction folds again; a
    // failed append is written again with the same numbers, which a replay counts once
    unwritten = batch;
    log.warn("daily stats could not be written ({} line(s) kept, tried again in {} ms): {}",
        batch.size(), RETRY_MS, err.toString());
    if (!closing && retryTimer == -1) {
      // I/O retry, not policy time: a real timer even under a virtual scheduler
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
