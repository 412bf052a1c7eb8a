package dev.vigia.monitor.journal;

import dev.vigia.common.journal.JournalEntry;
import io.vertx.core.Future;
import java.util.List;

/**
 * Each org's journal: why its session is in its state. Appends for one org land in the order they
 * were made; entries never hold a QR, a pairing code or credentials.
 */
public interface Journal {

  /** Appends one entry to {@code entry.org()}'s journal; fails for an invalid org id. */
  Future<Void> append(JournalEntry entry);

  /** Up to {@code limit} entries of {@code org}, newest first; an org without a journal has none. */
  Future<List<JournalEntry>> newestFirst(String org, int limit);
}
