package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.SendReceipt;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Remembers the answer to each (org, idempotency key) for {@link #KEEP}, so a client that retries
 * a send (timeout, lost answer) gets the first answer back and the message goes out once. A send
 * still in flight is shared by its retries; a failed send is forgotten, so it may be tried again.
 * The gateway deduplicates too; this keeps retries off the bus. {@link MemoryIdempotentSends}
 * (the file store's) or {@link PgIdempotentSends} (PostgreSQL: across restarts and nodes).
 */
public interface IdempotentSends {

  Duration KEEP = Duration.ofHours(24);

  /** The remembered answer for {@code key} in {@code org}, or the result of {@code send}. */
  Future<SendReceipt> once(String org, String key, Supplier<Future<SendReceipt>> send);
}
