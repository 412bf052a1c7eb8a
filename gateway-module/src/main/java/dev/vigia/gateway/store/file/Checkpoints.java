package dev.vigia.gateway.store.file;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires the auth log: seals the active segment, waits until every value of the sealed segments
 * is in its file, syncs those files and folders, then deletes the segments. Runs a moment after
 * writes (so a session key rewritten many times is synced once), at once when a segment fills,
 * and on {@link #now()}. One at a time.
 */
final class Checkpoints {

  /** How long after a write its files are synced, at most (they are safe in the log meanwhile). */
  static final long DELAY_MILLIS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final StoreWorkers workers;
  private final AuthLog log;
  private final FileApplier applier;
  private final AtomicBoolean armed = new AtomicBoolean();
  private Future<Void> tail = Future.succeededFuture();
  private volatile Throwable failure;
  private volatile boolean closed;

  Checkpoints(StoreWorkers workers, AuthLog log, FileApplier applier) {
    this.workers = workers;
    this.log = log;
    this.applier = applier;
  }

  /** A write was logged: make sure a checkpoint follows within {@link #DELAY_MILLIS}. */
  void later() {
    if (!closed && armed.compareAndSet(false, true)) {
      workers.schedule(DELAY_MILLIS, () -> {
        armed.set(false);
        now();
      });
    }
  }

  /** A segment filled: retire it without waiting for the timer. */
  void soon() {
    if (!closed) {
      workers.execute(this::now);
    }
  }

  /** Runs a checkpoint after the one running, if any; completes when it is done. */
  synchronized Future<Void> now() {
    tail = tail.transform(ignored -> run());
    return tail;
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
          .compose(v -> applier.makeDurable(upTo))
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
