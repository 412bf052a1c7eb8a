package dev.vigia.gateway.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the tasks of one org strictly one after another (each starts when the previous future
 * completes, whatever its outcome); different orgs run independently. A task queued from inside
 * a running task (an engine event raised by a command) runs after it. Use from one context only.
 */
public final class OrgQueue {

  private final Map<String, Future<?>> tails = new HashMap<>();

  public <T> Future<T> run(String org, Supplier<Future<T>> task) {
    Promise<T> done = Promise.promise();
    Future<?> previous = tails.getOrDefault(org, Future.succeededFuture());
    // become the tail before the task can run, so a task it queues waits for it
    tails.put(org, done.future());
    done.future().onComplete(ar -> tails.remove(org, done.future()));
    previous.onComplete(ignored -> {
      try {
        task.get().onComplete(done);
      } catch (RuntimeException e) {
        done.tryFail(e);
      }
    });
    return done.future();
  }

  /** Completes when every task queued so far has finished. */
  public Future<Void> drained() {
    return Future.join(new ArrayList<>(tails.values()))
        .transform(ignored -> Future.succeededFuture());
  }
}
