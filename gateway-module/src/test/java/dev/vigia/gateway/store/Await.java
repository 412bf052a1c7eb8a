package dev.vigia.gateway.store;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waits, on the test thread (never an event loop), for a store operation's future. */
public final class Await {

  private Await() {}

  public static <T> T result(Future<T> future) throws Exception {
    return result(future, 20);
  }

  public static Throwable failure(Future<?> future) throws Exception {
    return failure(future, 20);
  }

  public static <T> T result(Future<T> future, long seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    }
  }

  public static Throwable failure(Future<?> future, long seconds) throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
