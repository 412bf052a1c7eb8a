package dev.vigia.monitor.time;

import dev.vigia.common.time.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated time, for tests and demos only: nothing runs until {@link #advance} moves the
 * {@link ManualClock}; then every task due by the new time runs, oldest first, each on the
 * Vert.x context that scheduled it. "Ten minutes of backoff" then takes milliseconds.
 */
public final class VirtualScheduler implements Scheduler {

  private record Task(long id, Instant when, Runnable run, Context context) {}

  private final ManualClock clock;
  private final Map<Long, Task> pending = new HashMap<>();
  private long nextId = 1;

  public VirtualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  public ManualClock clock() {
    return clock;
  }

  @Override
  public synchronized long at(Instant when, Runnable task) {
    long id = nextId++;
    pending.put(id, new Task(id, when, task, Vertx.currentContext()));
    return id;
  }

  @Override
  public long after(Duration delay, Runnable task) {
    return at(clock.instant().plus(delay), task);
  }

  @Override
  public synchronized boolean cancel(long id) {
    return pending.remove(id) != null;
  }

  /** Tasks not run yet. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /** When the earliest pending task is due, or null. */
  public synchronized Instant nextDue() {
    return pending.values().stream().map(Task::when).min(Comparator.naturalOrder()).orElse(null);
  }

  /** Moves the clock by {@code by} and runs (asynchronously, on their contexts) what is due. */
  public int advance(Duration by) {
    clock.advance(by);
    return runDue();
  }

  /** Runs what is due at the clock's time now; returns how many tasks were started. */
  public int runDue() {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      pending.values().stream().filter(t -> !t.when().isAfter(now))
          .sorted(Comparator.comparing(Task::when).thenComparingLong(Task::id))
          .forEach(due::add);
      due.forEach(t -> pending.remove(t.id()));
    }
    for (Task t : due) {
      if (t.context() != null) {
        t.context().runOnContext(v -> t.run().run());
      } else {
        t.run().run();
      }
    }
    return due.size();
  }
}
