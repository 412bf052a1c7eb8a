package dev.vigia.monitor.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} (1, 2, …) waits a random time in
 * {@code [0, min(cap, base · 2^(n-1))]}, so the first retry waits up to {@code base} and many
 * sessions that fail together do not come back together.
 */
public final class ReconnectBackoff {

  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CAP = Duration.ofMinutes(5);

  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;

  public ReconnectBackoff(Duration base, Duration cap, RandomGenerator random) {
    this.baseMillis = Math.max(1, base.toMillis());
    this.capMillis = Math.max(this.baseMillis, cap.toMillis());
    this.random = random;
  }

  /** The longest wait before attempt {@code attempt} (counted from 1). */
  public Duration ceiling(int attempt) {
    int doublings = Math.max(0, attempt - 1);
    if (doublings >= 62 || baseMillis > (capMillis >> doublings)) {
      return Duration.ofMillis(capMillis);
    }
    return Duration.ofMillis(Math.min(capMillis, baseMillis << doublings));
  }

  /** A random wait in {@code [0, ceiling(attempt)]}. */
  public Duration delay(int attempt) {
    return Duration.ofMillis(random.nextLong(ceiling(attempt).toMillis() + 1));
  }
}
