package dev.vigia.gateway.store.file;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires the auth log: seals the active segment, waits until every value of the sealed segments
 * is in its file, syncs those files and folders, then deletes the segments. Syncing is the
 * expensive part (one fsync per file), so it waits for a pause: {@link #IDLE_MILLIS} without
 * writes, or {@link #MAX_AGE_MILLIS} after the oldest unretired write under steady load, or
 * {@link #MAX_SEALED_BYTES} of sealed log; meanwhile a session key rewritten many times is synced
 * once, and acknowledgements do not queue behind syncs. Acknowledged writes are durable in the
 * log all along; only the replay after a crash grows. Also on {@link #now()}. One at a time.
 */
final class Checkpoints {

  static final long IDLE_MILLIS = 2_000;
  static final long MAX_AGE_MILLIS = 30_000;
  static final long MAX_SEALED_BYTES = 16L << 20;
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final StoreWorkers workers;
  private final AuthLog log;
  private final FileApplier applier;
  private final UnsyncedFiles unsynced;
  private final AtomicBoolean armed = new AtomicBoolean();
  /** System.nanoTime of the first and the last write since the last checkpoint began. */
  private volatile long firstWrite;
  private volatile long lastWrite;
  private Future<Void> tail = Future.succeededFuture();
  private volatile Throwable failure;
  private volatile boolean closed;

  Checkpoints(StoreWorkers workers, AuthLog log, FileApplier applier, UnsyncedFiles unsynced) {
    this.workers = workers;
    this.log = log;
    this.applier = applier;
    this.unsynced = unsynced;
  }

  /** A write was logged (called in log order, one at a time): a checkpoint follows it. */
  void later() {
    long now = System.nanoTime();
    if (armed.compareAndSet(false, true)) {
      firstWrite = now;
      lastWrite = now;
      wake(IDLE_MILLIS);
    } else {
      lastWrite = now;
    }
  }

  /** A segment filled: retire the sealed ones now if they are many. */
  void segmentFull() {
    if (!closed && log.sealedBytes() >= MAX_SEALED_BYTES) {
      workers.execute(this::now);
    }
  }

  /** Retire what the last run left (after a replay at start). */
  void soon() {
    if (!closed) {
      workers.execute(this::now);
    }
  }

  private void wake(long millis) {
    if (!closed) {
      workers.schedule(Math.max(1, millis), this::due);
    }
  }

  /** The timer: checkpoint after a pause in writes, or when the oldest write is old enough. */
  private void due() {
    long now = System.nanoTime();
    long idle = (now - lastWrite) / 1_000_000;
    long age = (now - firstWrite) / 1_000_000;
    if (idle < IDLE_MILLIS && age < MAX_AGE_MILLIS) {
      wake(Math.min(IDLE_MILLIS - idle, MAX_AGE_MILLIS - age));
      return;
    }
    armed.set(false);
    now();
  }

  /** Runs a checkpoint after the one running, if any; completes when it is done. */
  Future<Void> now() {
    Promise<Void> turn = Promise.promise();
    Future<Void> before;
    synchronized (this) {
      before = tail;
      tail = turn.future();
    }
    // outside this object's lock: a store closing holds its own lock while it asks for this one,
    // and the checkpoint may take the store's (the lock-order deadlock of LogCheckpoints)
    before.onComplete(ignored -> run().onComplete(turn));
    return turn.future();
  }

  /** Why the last checkpoint failed (files not synced; the log keeps their values), or null. */
  Throwable failure() {
    return failure;
  }

  void close() {
    closed = true;
  }

  private Future<Void> run() {
    return workers.call(log::seal).compose(upTo -> {
      if (upTo < 0) {
        return Future.succeededFuture();
      }
      return applier.appliedUpTo(upTo)
          .compose(v -> unsynced.makeDurable(upTo))
          .compose(v -> workers.call(() -> {
            log.retire(upTo);
            return null;
          }));
    }).<Void>mapEmpty().andThen(ar -> {
      if (ar.failed()) {
        if (failure == null) {
          LOG.error("could not sync the auth-state files; their values stay in the auth log"
              + " and the sync is retried", ar.cause());
        }
        failure = ar.cause();
        later();
      } else if (failure != null) {
        LOG.info("auth-state files are synced again");
        failure = null;
      }
    });
  }
}
