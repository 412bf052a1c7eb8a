package dev.vigia.common.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store's own threads for its blocking file work ({@code <name>-N}), apart from Vert.x's shared
 * worker pool that also hashes passwords. Owned by the store, not by Vert.x, so that when Vert.x
 * closes, the store can still finish its files. Futures complete on these threads.
 */
public final class StorageThreads implements Executor {

  private static final long IDLE_SECONDS = 30;

  private final String name;
  private final ScheduledThreadPoolExecutor pool;

  public StorageThreads(String name, int threads) {
    this.name = name;
    AtomicInteger n = new AtomicInteger();
    pool = new ScheduledThreadPoolExecutor(threads, task -> {
      Thread t = new Thread(task, name + "-" + n.getAndIncrement());
      t.setDaemon(true); // never what keeps a JVM alive
      return t;
    });
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // idle threads end: a store nobody closed (a test's) costs no thread once it is quiet
    pool.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code work} on these threads; fails when they are closed. */
  public <T> Future<T> call(Callable<T> work) {
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
      done.fail(new IOException("the " + name + " threads are closed"));
    }
    return done.future();
  }

  /** Runs {@code work}; throws {@link RejectedExecutionException} once closed. */
  @Override
  public void execute(Runnable work) {
    pool.execute(work);
  }

  /** Runs {@code work} later; nothing once closed. */
  public void schedule(long millis, Runnable work) {
    try {
      pool.schedule(work, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // what is not done stays in the log and is replayed at the next start
    }
  }

  /** Running and queued tasks finish; delayed ones are dropped. */
  public void close() {
    pool.shutdown();
  }
}
