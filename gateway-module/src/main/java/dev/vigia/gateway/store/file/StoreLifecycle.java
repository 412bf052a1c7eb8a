package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening (once: sweep what a crash left, replay the log, start a segment) and closing (flush,
 * then stop) the file store; a Vert.x close closes it too, so a stopping Vigía leaves its files
 * complete and the log retired. Nothing runs before the first {@link #open()}.
 */
final class StoreLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(StoreLifecycle.class);
  private static final long CLOSE_WAIT_MILLIS = 10_000;

  private final Vertx vertx;
  private final Path dataDir;
  private final StoreWorkers workers;
  private final AuthLog log;
  private final FileApplier applier;
  private final Checkpoints checkpoints;
  private final List<Path> ownerOnly;
  private final Closeable closeHook = this::closeWithVertx;
  private Future<Void> opened;
  private Future<Void> closing;

  StoreLifecycle(Vertx vertx, Path dataDir, StoreWorkers workers, AuthLog log,
      FileApplier applier, Checkpoints checkpoints, List<Path> ownerOnly) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.workers = workers;
    this.log = log;
    this.applier = applier;
    this.checkpoints = checkpoints;
    this.ownerOnly = ownerOnly;
  }

  /** Starts opening on the first call; every call gets the same outcome (on a store thread). */
  synchronized Future<Void> open() {
    if (opened == null) {
      if (vertx instanceof VertxInternal internal) {
        internal.addCloseHook(closeHook);
      }
      opened = workers.call(() -> {
        try {
          CrashSweep.run(ownerOnly.get(0), ownerOnly);
          List<AuthLog.Recovered> recovered = log.recover();
          recovered.forEach(r -> applier.accept(r.record(), r.segment()));
          log.start();
          if (!recovered.isEmpty()) {
            LOG.info("replaying {} auth log entries written before the last stop",
                recovered.size());
            checkpoints.soon();
          }
        } catch (IOException e) {
          LOG.error("cannot use the data dir {}", dataDir, e);
          throw new AuthStateException(Kind.STORAGE, "cannot use the data dir " + dataDir
              + " for auth state: " + e.getMessage(), e);
        }
        return null;
      });
    }
    return opened;
  }

  /** Flushes, then stops the log and the workers; later operations fail. */
  Future<Void> close() {
    if (vertx instanceof VertxInternal internal) {
      internal.removeCloseHook(closeHook);
    }
    return shutdown();
  }

  private Future<Void> shutdown() {
    Promise<Void> closed = Promise.promise();
    Future<Void> wasOpened;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closing = closed.future();
      wasOpened = opened;
    }
    // outside this object's lock, as the record store's close: the checkpoint runs on the
    // store's threads, and nothing it waits for may wait for this lock
    Future<Void> flushed = wasOpened == null ? Future.succeededFuture()
        : wasOpened.transform(ignored -> checkpoints.now());
    flushed.andThen(ar -> {
      if (ar.failed()) {
        LOG.warn("auth-state files not all synced at close; the log keeps them: {}",
            ar.cause().toString());
      }
      checkpoints.close();
      log.close();
      workers.close();
    }).onComplete(ignored -> closed.complete());
    return closed.future();
  }

  /** Vert.x closing: finish the files and retire the log before it goes (bounded). */
  private void closeWithVertx(Completable<Void> completion) {
    AtomicBoolean done = new AtomicBoolean();
    long timer = vertx.setTimer(CLOSE_WAIT_MILLIS, id -> {
      if (done.compareAndSet(false, true)) {
        LOG.warn("the auth-state store did not finish its files in {} ms; the log keeps them",
            CLOSE_WAIT_MILLIS);
        completion.succeed();
      }
    });
    shutdown().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (done.compareAndSet(false, true)) {
        completion.succeed();
      }
    });
  }
}
