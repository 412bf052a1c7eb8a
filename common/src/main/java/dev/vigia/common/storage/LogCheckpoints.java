package dev.vigia.common.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link GroupCommitLog}'s owner folds the log into its files and retires it (a
 * checkpoint: seal, write and sync the files, delete the sealed segments). Syncing a file per
 * org is the expensive part, so it waits for a pause: {@link #IDLE_MILLIS} without writes, or
 * {@link #MAX_AGE_MILLIS} after the oldest write not yet folded under steady load; meanwhile a
 * record rewritten many times is synced once, and acknowledgements never queue behind syncs.
 * Also on {@link #now()}. One checkpoint at a time; a failed one is logged and tried again.
 */
public final class LogCheckpoints {

  public static final long IDLE_MILLIS = 2_000;
  public static final long MAX_AGE_MILLIS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(LogCheckpoints.class);

  private final StorageThreads threads;
  private final String what;
  private final Supplier<Future<Void>> checkpoint;
  private final AtomicBoolean armed = new AtomicBoolean();
  /** System.nanoTime of the first and the last write since the last checkpoint began. */
  private volatile long firstWrite;
  private volatile long lastWrite;
  private Future<Void> tail = Future.succeededFuture();
  private volatile Throwable failure;
  private volatile boolean closed;

  /**
   * @param what the files, for messages ("session records")
   * @param checkpoint one checkpoint, started on these threads
   */
  public LogCheckpoints(StorageThreads threads, String what, Supplier<Future<Void>> checkpoint) {
    this.threads = threads;
    this.what = what;
    this.checkpoint = checkpoint;
  }

  /** A write was logged: a checkpoint follows it. */
  public void later() {
    long now = System.nanoTime();
    lastWrite = now;
    if (armed.compareAndSet(false, true)) {
      firstWrite = now;
      wake(IDLE_MILLIS);
    }
  }

  /** Folds what the last run left (after a replay at start), in the background. */
  public void soon() {
    if (!closed) {
      threads.execute(this::now);
    }
  }

  /** Runs a checkpoint after the one running, if any; completes when it is done. */
  public Future<Void> now() {
    Promise<Void> turn = Promise.promise();
    Future<Void> before = takeTurn(turn.future());
    // outside this object's lock: the checkpoint takes its store's lock, and a store closing
    // holds that lock while it asks for this one (a deadlock seen in a test's close)
    before.onComplete(ignored -> run().onComplete(turn));
    return turn.future();
  }

  /**
   * Runs {@code work} while no checkpoint runs (after the running one, before the next): a read
   * of the files and the log's values then sees each value in one of them, never in neither.
   */
  public <T> Future<T> between(Supplier<Future<T>> work) {
    Promise<Void> turn = Promise.promise();
    Future<Void> before = takeTurn(turn.future());
    Future<T> done = before.transform(ignored -> work.get());
    done.onComplete(ignored -> turn.complete());
    return done;
  }

  /** The work queued before, and {@code mine} queued as the last. */
  private synchronized Future<Void> takeTurn(Future<Void> mine) {
    Future<Void> before = tail;
    tail = mine;
    return before;
  }

  /** Why the last checkpoint failed (the log keeps the values), or null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * No more timed checkpoints ({@link #now()} still runs one): called when Vert.x closes, so that
   * a store its owner never closed (a test's) stops touching its folder.
   */
  public void close() {
    closed = true;
  }

  private void wake(long millis) {
    if (!closed) {
      threads.schedule(Math.max(1, millis), this::due);
    }
  }

  /** The timer: checkpoint after a pause in writes, or when the oldest write is old enough. */
  private void due() {
    if (closed) {
      return;
    }
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

  private Future<Void> run() {
    Future<Void> done;
    try {
      done = checkpoint.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.andThen(ar -> {
      if (ar.failed()) {
        if (failure == null) {
          LOG.error("could not sync the {} files; their values stay in the log and the sync is"
              + " retried", what, ar.cause());
        }
        failure = ar.cause();
        later();
      } else if (failure != null) {
        LOG.info("the {} files are synced again", what);
        failure = null;
      }
    });
  }
}
