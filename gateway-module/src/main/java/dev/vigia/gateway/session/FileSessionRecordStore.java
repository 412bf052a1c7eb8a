package dev.vigia.gateway.session;

import dev.vigia.common.OrgId;
import dev.vigia.common.order.CallerContext;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.common.storage.GroupCommitLog;
import dev.vigia.common.storage.LogCheckpoints;
import dev.vigia.common.storage.StorageThreads;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session records as {@code <dataDir>/sessions/<org>.json}, made durable by a group-committed log
 * ({@code <dataDir>/sessions_log/}): a save is acknowledged once it is in the log and the log is
 * synced, and the saves of every org that arrive during one sync share the next (a restore of
 * 2,000 sessions saved each twice: a few dozen syncs, where a file write each took two). The
 * files follow in a checkpoint after a pause in saves ({@link LogCheckpoints}): each org's newest
 * record written once, as temp + fsync + rename, the folder synced, then the log retired. Records
 * are only read at start ({@link #loadAll}), which replays the log over the files. Saves of one
 * org land in the order they were asked. Everything blocking runs on the store's own threads.
 */
public final class FileSessionRecordStore implements SessionRecordStore {

  public static final String FOLDER = "sessions";
  public static final String LOG_FOLDER = "sessions_log";
  /** About 3,000 records: a restore of 2,000 sessions fills it once or twice. */
  private static final int SEGMENT_BYTES = 1 << 20;
  private static final int FILE_THREADS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(FileSessionRecordStore.class);

  /** An org's newest durable record not yet in a synced file, and the segment that holds it. */
  private record Unfolded(byte[] json, long segment) {}

  private final Vertx vertx;
  private final Path dir;
  private final StorageThreads logThread = new StorageThreads("vigia-records-log", 1);
  private final StorageThreads files = new StorageThreads("vigia-session-records", FILE_THREADS);
  private final GroupCommitLog<RecordChange> log;
  private final LogCheckpoints checkpoints;
  private final Set<Future<Void>> inFlight = ConcurrentHashMap.newKeySet();
  private final Closeable closeHook = this::closeWithVertx;
  // guarded by this
  private final Map<String, Unfolded> unfolded = new HashMap<>();
  private Future<Void> opened;
  private Future<Void> closing;

  public FileSessionRecordStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dir = dataDir.resolve(FOLDER);
    this.log = new GroupCommitLog<>(dataDir.resolve(LOG_FOLDER), "session records",
        SEGMENT_BYTES, logThread, new RecordChange.Codec(), new GroupCommitLog.Listener<>() {
          @Override
          public void durable(RecordChange change, long segment) {
            folding(change, segment);
          }
        });
    // a record replaces the one before: after a failed save, the next one may simply be tried
    log.reopenAfterFailure();
    this.checkpoints = new LogCheckpoints(files, "session record", this::checkpoint);
  }

  /**
   * Crash and disk-failure injection for tests: while {@code reason} is set, every save fails
   * after its bytes are written and before they are synced. Never set in production.
   */
  public void failSavesForTests(String reason) {
    log.beforeSyncForTests(reason == null ? null : () -> {
      throw new UncheckedIOException(new IOException(reason));
    });
  }

  /** Reads every record: the files, with the log of the last run replayed over them. */
  @Override
  public Future<List<SessionRecord>> loadAll() {
    // not while a checkpoint moves records from the log into the files (the replay's, at start)
    return CallerContext.deliver(open().compose(v ->
        checkpoints.between(this::readAll)));
  }

  /**
   * Completes once {@code record} (or a newer one of the org) is durable; saves of one org apply
   * in the order they were asked.
   */
  @Override
  public Future<Void> save(SessionRecord record) {
    return logged(new RecordChange(OrgId.require(record.org()), record));
  }

  @Override
  public Future<Void> delete(String org) {
    return logged(new RecordChange(OrgId.require(org), null));
  }

  /**
   * Every save acknowledged so far is in its file (a checkpoint now): for tests and tools that
   * read {@code sessions/} of a running store.
   */
  public Future<Void> flush() {
    return CallerContext.deliver(open().compose(v -> checkpoints.now()));
  }

  /**
   * Folds the log into the files, then stops; later saves fail. Its owner calls it after Vert.x
   * closed (the gateway writes its last records while it stops, after Vert.x's close hooks ran).
   */
  public Future<Void> close() {
    if (vertx instanceof VertxInternal internal) {
      internal.removeCloseHook(closeHook);
    }
    return CallerContext.deliver(shutdown());
  }

  /**
   * Logged once the log of the last run is replayed (the log keeps appends in order until then),
   * or failed when it could not be read.
   */
  private Future<Void> logged(RecordChange change) {
    open();
    Future<Void> written = log.append(change);
    inFlight.add(written);
    written.onComplete(ignored -> inFlight.remove(written));
    return CallerContext.deliver(written);
  }

  /** A change is durable in the log: its file follows at the next checkpoint (log order). */
  private void folding(RecordChange change, long segment) {
    synchronized (this) {
      unfolded.put(change.org(), new Unfolded(change.json(), segment));
    }
    checkpoints.later();
  }

  /** Once: sweeps the temp files a crash left, replays the log, then lets saves be written. */
  private synchronized Future<Void> open() {
    if (opened == null) {
      if (vertx instanceof VertxInternal internal) {
        internal.addCloseHook(closeHook);
      }
      opened = files.call(() -> {
        int swept = AtomicFiles.sweepTemps(dir);
        if (swept > 0) {
          LOG.info("removed {} unfinished session record write(s) a stop left in {}", swept, dir);
        }
        List<GroupCommitLog.Recovered<RecordChange>> recovered = log.recover();
        synchronized (this) {
          for (GroupCommitLog.Recovered<RecordChange> r : recovered) {
            if (OrgId.isValid(r.entry().org())) {
              unfolded.put(r.entry().org(), new Unfolded(r.entry().json(), r.segment()));
            }
          }
        }
        log.start();
        if (!recovered.isEmpty()) {
          LOG.info("replaying {} session record save(s) logged before the last stop",
              recovered.size());
          checkpoints.soon();
        }
        return null;
      });
      opened.onFailure(e -> {
        LOG.error("the session records' log cannot be read; saves fail until a restart: {}",
            e.toString());
        log.refuse(new IOException("the session records' log cannot be read: " + e.getMessage(),
            e));
      });
    }
    return opened;
  }

  /** The files, read on all the file threads at once, with the log's newer records over them. */
  private Future<List<SessionRecord>> readAll() {
    return files.call(() -> RecordFiles.list(dir)).compose(paths -> {
      List<Future<Map<String, SessionRecord>>> parts = new ArrayList<>();
      for (List<Path> part : RecordFiles.slices(paths, FILE_THREADS)) {
        parts.add(files.call(() -> RecordFiles.read(part)));
      }
      return Future.all(parts).map(done -> {
        Map<String, SessionRecord> records = new HashMap<>();
        parts.forEach(part -> records.putAll(part.result()));
        Map<String, Unfolded> newer;
        synchronized (this) {
          newer = new HashMap<>(unfolded);
        }
        newer.forEach((org, u) -> {
          records.remove(org);
          if (u.json() != null) {
            SessionRecord record = RecordFiles.parse(org, "the log", u.json());
            if (record != null) {
              records.put(org, record);
            }
          }
        });
        return new ArrayList<>(records.values());
      });
    });
  }

  /**
   * Seals the log, writes each org's newest record it holds into its file (temp + fsync +
   * rename, on several threads), syncs the folder, then deletes the sealed segments.
   */
  private Future<Void> checkpoint() {
    return files.call(log::seal).compose(upTo -> {
      if (upTo < 0) {
        return Future.succeededFuture();
      }
      Map<String, Unfolded> due = new HashMap<>();
      synchronized (this) {
        unfolded.forEach((org, u) -> {
          if (u.segment() <= upTo) {
            due.put(org, u);
          }
        });
      }
      List<Future<Void>> parts = new ArrayList<>();
      for (List<Map.Entry<String, Unfolded>> part : RecordFiles.slices(new ArrayList<>(due.entrySet()), FILE_THREADS)) {
        parts.add(files.call(() -> {
          for (var e : part) {
            Path file = RecordFiles.fileOf(dir, e.getKey());
            if (e.getValue().json() == null) {
              Files.deleteIfExists(file);
            } else {
              AtomicFiles.writeLeavingFolderUnsynced(file, e.getValue().json());
            }
          }
          return null;
        }));
      }
      return Future.all(parts).compose(v -> files.call(() -> {
        if (!due.isEmpty()) {
          Files.createDirectories(dir);
          AtomicFiles.fsyncDirectory(dir);
        }
        log.retire(upTo);
        synchronized (this) {
          due.forEach((org, u) -> unfolded.remove(org, u)); // unless a newer one came meanwhile
        }
        return null;
      }));
    });
  }

  private Future<Void> shutdown() {
    Promise<Void> closed = Promise.promise();
    List<Future<Void>> pending;
    boolean wasOpened;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closing = closed.future();
      pending = List.copyOf(inFlight);
      wasOpened = opened != null;
    }
    // outside this store's lock: the checkpoint takes it (from its own thread, too)
    Future.join(pending).transform(ignored -> wasOpened
        ? checkpoints.now() : Future.<Void>succeededFuture()).andThen(ar -> {
      if (ar.failed()) {
        LOG.warn("session record files not all written at close; the log keeps them: {}",
            ar.cause().toString());
      }
      checkpoints.close();
      log.close();
      logThread.close();
      files.close();
    }).<Void>transform(ignored -> Future.succeededFuture()).onComplete(closed);
    return closed.future();
  }

  /**
   * Vert.x closing: no more timed checkpoints (a store nobody closes, a test's, leaves its folder
   * alone). Saves still go to the log, and {@link #close} folds it.
   */
  private void closeWithVertx(Completable<Void> completion) {
    checkpoints.close();
    completion.succeed();
  }
}
