package dev.vigia.monitor.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Runs a task later, on the context that scheduled it. The monitor's backoffs and daily jobs go
 * through it, so a test can swap real timers for a {@link VirtualScheduler} and move time by hand.
 */
public interface Scheduler {

  /** Runs {@code task} at {@code when} (at once if that has passed); returns an id for cancel. */
  long at(Instant when, Runnable task);

  /** Runs {@code task} after {@code delay}. */
  long after(Duration delay, Runnable task);

  /** Cancels a task that has not run yet; false when it already ran or is unknown. */
  boolean cancel(long id);
}
