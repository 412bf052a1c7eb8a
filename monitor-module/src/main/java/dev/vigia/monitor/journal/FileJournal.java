package dev.vigia.monitor.journal;

import dev.vigia.common.OrgId;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.CallerContext;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.common.storage.GroupCommitLog;
import dev.vigia.common.storage.LogCheckpoints;
import dev.vigia.common.storage.StorageThreads;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file journal: {@code <dataDir>/journal/<org>.jsonl}, one {@link JournalEntry} as JSON per
 * line. An append is acknowledged once its line is in a group-committed log
 * ({@code <dataDir>/journal_log/}, one sync for all the lines of every org that arrive during
 * the previous one) and in the org's file (written, not yet synced). The files are synced and the
 * log retired in a checkpoint after a pause in appends ({@link LogCheckpoints}); after a crash
 * the log is replayed into them at start. Each line is logged with the byte offset it takes in
 * its file, so a replay writes it exactly where it belongs, whatever part of it the file already
 * had. A line torn by a crash of an older version is skipped when read, and the next append
 * starts on a fresh line so it never glues onto the torn one.
 */
public final class FileJournal implements Journal {

  public static final String FOLDER = "journal";
  public static final String LOG_FOLDER = "journal_log";
  /** About 4,000 lines: a restore of 2,000 sessions fills it once or twice. */
  private static final int SEGMENT_BYTES = 1 << 20;
  private static final int SYNC_THREADS = 2;
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

  private final Vertx vertx;
  private final Closeable closeHook = this::closeWithVertx;
  private final JournalFiles files;
  private final StorageThreads logThread = new StorageThreads("vigia-journal-log", 1);
  /** One thread: lines go into their files in log order. */
  private final StorageThreads applier = new StorageThreads("vigia-journal-files", 1);
  private final StorageThreads workers = new StorageThreads("vigia-journal", SYNC_THREADS);
  private final GroupCommitLog<JournalLine> lines;
  private final LogCheckpoints checkpoints;
  /** The last append of each org: a read waits for it, so a reader sees its own writes. */
  private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();
  private final Set<Future<Void>> inFlight = ConcurrentHashMap.newKeySet();
  // guarded by this
  /** Orgs whose file got lines since it was last synced, with the newest segment of those. */
  private final Map<String, Long> unsynced = new HashMap<>();
  /** Durable lines whose file write failed: written again by the next checkpoint. */
  private final List<JournalLine> unapplied = new ArrayList<>();
  private Future<Void> opened;
  private Future<Void> closing;

  /** @param vertx only told when it closes: the journal runs on its own threads */
  public FileJournal(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.files = new JournalFiles(dataDir.resolve(FOLDER));
    this.lines = new GroupCommitLog<>(dataDir.resolve(LOG_FOLDER), "journal", SEGMENT_BYTES,
        logThread, new JournalLine.Codec(files), new GroupCommitLog.Listener<>() {
          @Override
          public void durable(JournalLine line, long segment) {
            applyLater(line, segment);
          }

          @Override
          public void notWritten(JournalLine line) {
            files.notWritten(line);
          }
        });
    this.checkpoints = new LogCheckpoints(workers, "journal", this::checkpoint);
  }

  @Override
  public Future<Void> append(JournalEntry entry) {
    String org;
    try {
      org = OrgId.require(entry.org());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    JournalLine line = new JournalLine(org, entry);
    // logged once the log of the last run is replayed (the log keeps appends in order until
    // then), or failed when it could not be read
    open();
    Future<Void> mine = lines.append(line).compose(v -> line.applied.future());
    inFlight.add(mine);
    tails.put(org, mine);
    mine.onComplete(done -> {
      inFlight.remove(mine);
      tails.remove(org, mine); // forget a finished tail: one entry per org at most, while busy
    });
    return CallerContext.deliver(mine);
  }

  @Override
  public Future<List<JournalEntry>> newestFirst(String org, int limit) {
    if (!OrgId.isValid(org)) {
      return Future.failedFuture(new IllegalArgumentException(
          "invalid organization id: use 1 to 64 letters, digits, '-' or '_'"));
    }
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1"));
    }
    // read after the appends already asked for, so a reader sees its own writes
    Future<Void> pending = tails.getOrDefault(org, Future.succeededFuture());
    return CallerContext.deliver(open().transform(ignored -> pending)
        .transform(ignored -> workers.call(() -> files.read(org, limit))));
  }

  /**
   * Every line appended so far is synced in its file and the log retired (a checkpoint now;
   * after a crash, the log of the last run replayed first): for tools that read {@code journal/}.
   */
  public Future<Void> flush() {
    return CallerContext.deliver(open().compose(v -> checkpoints.now()));
  }

  /**
   * Writes the lines asked for, syncs the files and retires the log, then stops; later appends
   * fail. Its owner calls it after Vert.x closed (the monitor journals while it stops, after
   * Vert.x's close hooks ran).
   */
  public Future<Void> close() {
    if (vertx instanceof VertxInternal internal) {
      internal.removeCloseHook(closeHook);
    }
    return CallerContext.deliver(shutdown());
  }

  private Future<Void> shutdown() {
    Future<Void> written;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      written = Future.join(List.copyOf(inFlight)).transform(ignored ->
          opened == null ? Future.<Void>succeededFuture() : checkpoints.now());
      closing = written.transform(ar -> {
        if (ar.failed()) {
          log.warn("journal files not all synced at close; the journal log keeps their lines:"
              + " {}", ar.cause().toString());
        }
        checkpoints.close();
        lines.close();
        logThread.close();
        applier.close();
        workers.close();
        return Future.<Void>succeededFuture();
      });
    }
    return closing;
  }

  /**
   * Vert.x closing: no more timed checkpoints (a journal nobody closes, a test's, leaves its
   * folder alone). Appends still go to the log, and {@link #close} folds it.
   */
  private void closeWithVertx(Completable<Void> completion) {
    checkpoints.close();
    completion.succeed();
  }

  /** Once: replays the log of the last run into the files, then lets appends be written. */
  private synchronized Future<Void> open() {
    if (opened == null) {
      if (vertx instanceof VertxInternal internal) {
        internal.addCloseHook(closeHook);
      }
      opened = applier.call(() -> {
        List<GroupCommitLog.Recovered<JournalLine>> recovered = lines.recover();
        for (GroupCommitLog.Recovered<JournalLine> r : recovered) {
          if (OrgId.isValid(r.entry().org)) {
            files.write(r.entry());
            synchronized (this) {
              unsynced.merge(r.entry().org, r.segment(), Math::max);
            }
          }
        }
        lines.start();
        if (!recovered.isEmpty()) {
          log.info("journal: {} line(s) logged before the last stop replayed into their files",
              recovered.size());
          checkpoints.soon();
        }
        return null;
      });
      opened.onFailure(e -> {
        log.error("the journal log cannot be read; journal appends fail until a restart: {}",
            e.toString());
        lines.refuse(new IOException("the journal log cannot be read: " + e.getMessage(), e));
      });
    }
    return opened;
  }

  /** A line is durable in the log: it goes into its file now, in log order. */
  private void applyLater(JournalLine line, long segment) {
    synchronized (this) {
      unsynced.merge(line.org, segment, Math::max);
    }
    checkpoints.later();
    try {
      applier.execute(() -> apply(line));
    } catch (RejectedExecutionException closed) {
      line.applied.complete(); // durable: the next start replays it into its file
    }
  }

  private void apply(JournalLine line) {
    try {
      files.write(line);
    } catch (IOException | RuntimeException e) {
      // durable all the same: the log keeps it and the next checkpoint writes it again
      synchronized (this) {
        unapplied.add(line);
      }
      OrgMdc.run(line.org, () -> log.warn("journal of org {}: a line is in the journal log but"
          + " not yet in its file ({}); it is written again later", line.org, e.toString()));
    }
    line.applied.complete();
  }

  /**
   * Seals the log, waits until its lines are in their files (writing again any that failed),
   * syncs those files and the folder, then deletes the sealed segments.
   */
  private Future<Void> checkpoint() {
    return workers.call(lines::seal).compose(upTo -> {
      if (upTo < 0) {
        return Future.succeededFuture();
      }
      // the applier runs in order: this runs after every line the sealed segments hold
      return applier.call(() -> {
        List<JournalLine> again;
        synchronized (this) {
          again = new ArrayList<>(unapplied);
          unapplied.clear();
        }
        for (int i = 0; i < again.size(); i++) {
          try {
            files.write(again.get(i));
          } catch (IOException e) {
            synchronized (this) {
              unapplied.addAll(again.subList(i, again.size()));
            }
            throw e;
          }
        }
        // every org with a line not yet synced, even if it also has lines of a newer segment:
        // a retired segment's lines must all be synced (a sync covers the newer ones too)
        Map<String, Long> due;
        synchronized (this) {
          due = new HashMap<>(unsynced);
        }
        return due;
      }).compose(due -> sync(due).compose(v -> workers.call(() -> {
        lines.retire(upTo);
        synchronized (this) {
          due.forEach((org, segment) -> {
            if (segment <= upTo) {
              unsynced.remove(org, segment); // unless a newer line came meanwhile
            }
          });
        }
        return null;
      })));
    });
  }

  /** Syncs the files of {@code due} on the workers, then the folder. */
  private Future<Void> sync(Map<String, Long> due) {
    List<String> orgs = new ArrayList<>(due.keySet());
    List<Future<Void>> parts = new ArrayList<>();
    int chunk = Math.max(1, (orgs.size() + SYNC_THREADS - 1) / SYNC_THREADS);
    for (int i = 0; i < orgs.size(); i += chunk) {
      List<String> part = orgs.subList(i, Math.min(orgs.size(), i + chunk));
      parts.add(workers.call(() -> {
        for (String org : part) {
          files.sync(org);
        }
        return null;
      }));
    }
    return Future.all(parts).compose(v -> workers.call(() -> {
      if (!due.isEmpty()) {
        AtomicFiles.fsyncDirectory(files.dir()); // files created since
      }
      return null;
    }));
  }
}
