package dev.vigia.dashboard.web;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows password guessing: at most {@link #MAX_FAILURES} failed logins per user name and client
 * address in {@link #WINDOW}. Every attempt counts as a failure until it succeeds, so parallel
 * guesses cannot slip past the limit while the hashes are being checked.
 * {@link MemoryLoginThrottle} (the file store's) or {@link PgLoginThrottle} (PostgreSQL: shared by
 * the nodes, so guesses spread over them still count together, and kept across a restart).
 */
public interface LoginThrottle {

  int MAX_FAILURES = 5;
  Duration WINDOW = Duration.ofMinutes(5);

  /** Records an attempt; empty when it may proceed, else how long until the next one may. */
  Future<Optional<Duration>> attempt(String username, String address);

  /** A correct password: forget this pair's failures. */
  Future<Void> succeeded(String username, String address);
}
