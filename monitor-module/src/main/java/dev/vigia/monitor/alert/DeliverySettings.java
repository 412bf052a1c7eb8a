package dev.vigia.monitor.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard one alert is pushed through one channel: at most {@code maxAttempts} tries, waiting
 * {@code firstRetryDelay} before the second and doubling up to {@code maxRetryDelay}; each try is
 * abandoned after {@code attemptTimeout} so a silent server cannot hold an alert forever.
 */
public record DeliverySettings(int maxAttempts, Duration firstRetryDelay, Duration maxRetryDelay,
    Duration attemptTimeout) {

  /** 4 attempts, 1 s, 2 s, 4 s apart; 30 s per attempt. */
  public static final DeliverySettings DEFAULTS =
      new DeliverySettings(4, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(30));

  public DeliverySettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
    Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    if (attemptTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("attemptTimeout must be at least 1 ms");
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based): first delay, doubled each time. */
  public Duration delayAfter(int attempt) {
    long first = Math.max(1, firstRetryDelay.toMillis());
    long cap = Math.max(first, maxRetryDelay.toMillis());
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    return Duration.ofMillis(Math.min(cap, first << doublings));
  }
}
