package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's own threads ({@code vigia-store-N}) for its blocking file work, apart from Vert.x's
 * shared worker pool that also hashes passwords and runs {@code npm ci}. Owned by the store, not
 * by Vert.x, so that when Vert.x closes the store can still finish its files (a Vert.x worker
 * executor is shut down at the same time as the close hooks run). Futures complete on these
 * threads; the store hands each result back on its caller's context.
 */
final class StoreWorkers {

  private final ScheduledThreadPoolExecutor pool;

  StoreWorkers(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    pool = new ScheduledThreadPoolExecutor(threads, task -> {
      Thread t = new Thread(task, name + "-" + n.getAndIncrement());
      t.setDaemon(true); // never what keeps a JVM alive
      return t;
    });
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  <T> Future<T> call(Callable<T> work) {
    Promise<T> done = Promise.promise();
    try {
      pool.execute(() -> {
        T result;
        try {
          result = work.call();
        } catch (Throwable e) {
          done.fail(e);
          return;
        }
        done.complete(result);
      });
    } catch (RejectedExecutionException e) {
      done.fail(closed());
    }
    return done.future();
  }

  void execute(Runnable work) {
    try {
      pool.execute(work);
    } catch (RejectedExecutionException e) {
      // closed: what is not done yet is in the log and replayed at the next start
    }
  }

  void schedule(long millis, Runnable work) {
    try {
      pool.schedule(work, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Running tasks finish; queued ones still run; delayed ones are dropped. */
  void close() {
    pool.shutdown();
  }

  static AuthStateException closed() {
    return new AuthStateException(Kind.STORAGE, "the auth-state store is closed");
  }
}
