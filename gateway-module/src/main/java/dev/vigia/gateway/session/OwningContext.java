package dev.vigia.gateway.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one context (the gateway verticle's) that owns the gateway's state. Code that touches that
 * state calls {@link #check}; results of stores and engines, which may complete on any thread,
 * come back here through {@link #back} before they touch it (issue 7: state changed from another
 * event loop).
 */
public final class OwningContext {

  private static final Logger LOG = LoggerFactory.getLogger(OwningContext.class);

  private final Context context;
  /** An event-loop context always runs on one thread; its handlers may run on duplicates of it. */
  private final Thread thread;
  private final AtomicInteger violations = new AtomicInteger();

  /** The context of the calling code, which must be a verticle's start on its event loop. */
  public OwningContext() {
    this.context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      throw new IllegalStateException("the gateway's state needs an event-loop context");
    }
    this.thread = Thread.currentThread();
  }

  /** Counts and logs (as an error: it is a bug) a touch of the state from another thread. */
  public void check(String what) {
    if (!isCurrent()) {
      violations.incrementAndGet();
      LOG.error("gateway state touched off its context ({}) on thread {}", what,
          Thread.currentThread().getName());
    }
  }

  /** How many times {@link #check} found the wrong thread since start. */
  public int violations() {
    return violations.get();
  }

  private boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** {@code future}'s outcome, delivered on the owning context. */
  public <T> Future<T> back(Future<T> future) {
    Promise<T> here = Promise.promise();
    future.onComplete(ar -> run(() -> here.handle(ar)));
    return here.future();
  }

  /** Runs {@code action} on the owning context after {@code delayMs}. */
  public void later(long delayMs, Runnable action) {
    context.owner().setTimer(delayMs, id -> run(action));
  }

  /** Queues {@code action} on the owning context, as a task of its own even when called there. */
  public void queue(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  /** Runs {@code action} now when already on the owning context, else queues it there. */
  public void run(Runnable action) {
    if (isCurrent()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
