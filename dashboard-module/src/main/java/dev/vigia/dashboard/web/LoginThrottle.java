package dev.vigia.dashboard.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: at most {@link #MAX_FAILURES} failed logins per username and client
 * address in {@link #WINDOW}. Every attempt counts as a failure until it succeeds, so parallel
 * guesses cannot slip past the limit while the hashes are being checked.
 */
public final class LoginThrottle {

  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(5);
  /** Bound on remembered (username, address) pairs, so guessing names cannot fill the heap. */
  private static final int MAX_KEYS = 100_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records an attempt; empty when it may proceed, else how long until the next one may.
   */
  public synchronized Optional<Duration> attempt(String username, String address) {
    Instant now = clock.instant();
    if (attempts.size() > MAX_KEYS) {
      attempts.values().removeIf(d -> prune(d, now).isEmpty());
    }
    Deque<Instant> failures = prune(attempts.computeIfAbsent(key(username, address),
        k -> new ArrayDeque<>()), now);
    if (failures.size() >= MAX_FAILURES) {
      Duration wait = Duration.between(now, failures.peekFirst().plus(WINDOW));
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }
    failures.addLast(now);
    return Optional.empty();
  }

  /** A correct password: forget this pair's failures. */
  public synchronized void succeeded(String username, String address) {
    attempts.remove(key(username, address));
  }

  private Deque<Instant> prune(Deque<Instant> failures, Instant now) {
    while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
      failures.removeFirst();
    }
    return failures;
  }

  private static String key(String username, String address) {
    return username + "\n" + address;
  }
}
