package dev.vigia.dashboard.web;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The login throttle in memory (the file store's: a restart forgets the failures). */
public final class MemoryLoginThrottle implements LoginThrottle {

  /** Bound on remembered (username, address) pairs, so guessing names cannot fill the heap. */
  private static final int MAX_KEYS = 100_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

  public MemoryLoginThrottle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Optional<Duration>> attempt(String username, String address) {
    return Future.succeededFuture(attemptNow(username, address));
  }

  private synchronized Optional<Duration> attemptNow(String username, String address) {
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

  @Override
  public synchronized Future<Void> succeeded(String username, String address) {
    attempts.remove(key(username, address));
    return Future.succeededFuture();
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
