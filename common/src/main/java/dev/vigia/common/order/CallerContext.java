package dev.vigia.common.order;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands a result back on the context of the code that asked for it: a store's own threads
 * complete its futures, and a verticle must only see its state changed on its own event loop.
 */
public final class CallerContext {

  private CallerContext() {}

  /** {@code result}, delivered on the context of the code calling this (none: where it completes). */
  public static <T> Future<T> deliver(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> delivered = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        delivered.handle(ar);
      } else {
        caller.runOnContext(v -> delivered.handle(ar));
      }
    });
    return delivered.future();
  }
}
