package dev.vigia.gateway.session;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the tasks of one org strictly one after another (each starts when the previous future
 * completes, whatever its outcome); different orgs run independently. Use from one context only.
 */
public final class OrgQueue {

  private final Map<String, Future<?>> tails = new HashMap<>();

  public <T> Future<T> run(String org, Supplier<Future<T>> task) {
    Future<?> tail = tails.getOrDefault(org, Future.succeededFuture());
    Future<T> result = tail.transform(ignored -> {
      try {
        return task.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    tails.put(org, result);
    result.onComplete(ar -> tails.remove(org, result));
    return result;
  }

  /** Completes when every task queued so far has finished. */
  public Future<Void> drained() {
    return Future.join(new java.util.ArrayList<>(tails.values()))
        .transform(ignored -> Future.succeededFuture());
  }
}
