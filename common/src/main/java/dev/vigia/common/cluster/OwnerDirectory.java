package dev.vigia.common.cluster;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which node owns an org, as the lease table says, cached for a short while (a command should not
 * cost a database round trip). A stale answer is harmless: the node asked answers "not owner,
 * ask X" and the router learns; a cached owner that no longer answers is forgotten.
 */
public final class OwnerDirectory {

  private record Entry(Optional<String> owner, long expiresAt) {}

  private final Function<String, Future<String>> lookup;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

  /**
   * @param lookup the owner of an org now, or null ({@link LeaseTable#ownerOf})
   * @param ttlMillis how long an answer is trusted (about the renew interval)
   */
  public OwnerDirectory(Function<String, Future<String>> lookup, long ttlMillis,
      LongSupplier nanoTime) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The org's owner (null: nobody holds it), from the cache while fresh. */
  public Future<String> ownerOf(String org) {
    Entry cached = cache.get(org);
    if (cached != null && nanoTime.getAsLong() - cached.expiresAt() < 0) {
      return Future.succeededFuture(cached.owner().orElse(null));
    }
    return lookup.apply(org).onSuccess(owner -> learn(org, owner));
  }

  /** What a node answered: {@code owner} holds the org (null: nobody). */
  public void learn(String org, String owner) {
    cache.put(org, new Entry(Optional.ofNullable(owner), nanoTime.getAsLong() + ttlNanos));
  }

  /** The cached answer proved wrong: ask the table next time. */
  public void forget(String org) {
    cache.remove(org);
  }
}
