package dev.vigia.common.order;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Runs the tasks of one key (an org) strictly one after another: each starts when the previous
 * one's future completes, whatever its outcome; different keys run independently. Safe to call
 * from any thread. A task starts on the context of the code that queued it, and the returned
 * future completes on that context too, so state owned by that context is only touched there.
 * A task queued from inside a running task of the same key runs after it.
 */
public final class KeyedQueue {

  private final ConcurrentMap<String, Future<?>> tails = new ConcurrentHashMap<>();

  public <T> Future<T> run(String key, Supplier<Future<T>> task) {
    Context caller = Vertx.currentContext();
    Promise<T> done = Promise.promise();
    Future<T> mine = done.future();
    Future<?>[] previous = new Future<?>[1];
    // become the tail before the task can run, so a task it queues waits for it
    tails.compute(key, (k, tail) -> {
      previous[0] = tail;
      return mine;
    });
    mine.onComplete(ignored -> tails.remove(key, mine));
    Runnable start = () -> {
      Future<T> result;
      try {
        result = task.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> on(caller, () -> done.handle(ar)));
    };
    if (previous[0] == null) {
      on(caller, start);
    } else {
      previous[0].onComplete(ignored -> on(caller, start));
    }
    return mine;
  }

  /** Completes when every task queued so far has finished. */
  public Future<Void> drained() {
    return Future.join(new ArrayList<>(tails.values()))
        .transform(ignored -> Future.succeededFuture());
  }

  /** Whether a task of {@code key} is queued or running. */
  public boolean busy(String key) {
    return tails.containsKey(key);
  }

  private static void on(Context context, Runnable action) {
    if (context == null || Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
