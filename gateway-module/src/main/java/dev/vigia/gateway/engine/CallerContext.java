package dev.vigia.gateway.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The context a session was opened on (the gateway's): every listener call must run there, so the
 * gateway's state is only ever touched by its own context.
 */
public final class CallerContext {

  private final Context context;

  public CallerContext(Context context) {
    this.context = context;
  }

  /** The context of the code calling this (an engine's {@code open}); a new one off Vert.x. */
  public static CallerContext of(Vertx vertx) {
    Context current = Vertx.currentContext();
    return new CallerContext(current != null ? current : vertx.getOrCreateContext());
  }

  /** Runs {@code action} now when already on the context, else queues it there. */
  public void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
