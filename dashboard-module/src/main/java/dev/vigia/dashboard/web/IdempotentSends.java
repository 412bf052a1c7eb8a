package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.SendReceipt;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers the answer to each (org, idempotency key) for a day, so a client that retries a send
 * (timeout, lost answer) gets the first answer back and the message goes out once. A send still
 * in flight is shared by its retries; a failed send is forgotten, so it may be tried again. The
 * gateway deduplicates too; this keeps retries off the bus. Used on one event loop only.
 */
public final class IdempotentSends {

  public static final Duration KEEP = Duration.ofHours(24);
  public static final int MAX_ENTRIES = 10_000;

  private record Entry(Future<SendReceipt> receipt, Instant at) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public IdempotentSends(Clock clock) {
    this.clock = clock;
  }

  /** The remembered answer for {@code key} in {@code org}, or the result of {@code send}. */
  public Future<SendReceipt> once(String org, String key, Supplier<Future<SendReceipt>> send) {
    if (key == null) {
      return send.get();
    }
    Instant now = clock.instant();
    forgetOld(now);
    String id = org + "\n" + key;
    Entry known = entries.get(id);
    if (known != null) {
      return known.receipt();
    }
    Future<SendReceipt> receipt = send.get();
    Entry entry = new Entry(receipt, now);
    entries.put(id, entry);
    receipt.onFailure(err -> entries.remove(id, entry));
    return receipt;
  }

  private void forgetOld(Instant now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (entries.size() > MAX_ENTRIES || e.at().plus(KEEP).isBefore(now)) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
