package dev.vigia.gateway.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The context a session was opened on (the gateway's): every listener call must run there. */
public final class CallerContext {

  private final Context context;

  public CallerContext(Context context) {
    this.context = context;
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
