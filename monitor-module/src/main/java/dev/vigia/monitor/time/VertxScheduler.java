package dev.vigia.monitor.time;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Real time: Vert.x timers, with the due time read against the injected {@link Clock}. */
public final class VertxScheduler implements Scheduler {

  private final Vertx vertx;
  private final Clock clock;

  public VertxScheduler(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  @Override
  public long at(Instant when, Runnable task) {
    return after(Duration.between(clock.instant(), when), task);
  }

  @Override
  public long after(Duration delay, Runnable task) {
    // Vert.x refuses delays under 1 ms
    return vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
  }

  @Override
  public boolean cancel(long id) {
    return vertx.cancelTimer(id);
  }
}
