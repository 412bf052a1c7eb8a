package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.SendReceipt;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Idempotency keys in memory (the file store's: a restart forgets them, and at most
 * {@link #MAX_ENTRIES} are kept). Used on one event loop only.
 */
public final class MemoryIdempotentSends implements IdempotentSends {

  public static final int MAX_ENTRIES = 10_000;

  private record Entry(Future<SendReceipt> receipt, Instant at) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public MemoryIdempotentSends(Clock clock) {
    this.clock = clock;
  }

  @Override
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
