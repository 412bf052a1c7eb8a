package dev.vigia.monitor.journal;

import dev.vigia.common.journal.JournalEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * A journal in a list, for the jobs' tests. {@link #holdAppends} keeps appends pending until
 * {@link #release}, and {@link #failAppends} makes them fail, so a test sees what waits for a line.
 */
public final class MemoryJournal implements Journal {

  public final List<JournalEntry> entries = new ArrayList<>();
  private final List<Promise<Void>> held = new ArrayList<>();
  private boolean holding;
  private boolean failing;

  public void holdAppends() {
    holding = true;
  }

  /** Writes the held entries (they are already in {@link #entries}) and stops holding. */
  public void release() {
    holding = false;
    List<Promise<Void>> now = new ArrayList<>(held);
    held.clear();
    now.forEach(Promise::complete);
  }

  public void failAppends(boolean fail) {
    failing = fail;
  }

  /** Messages of the entries, oldest first. */
  public List<String> messages() {
    return entries.stream().map(JournalEntry::message).toList();
  }

  @Override
  public Future<Void> append(JournalEntry entry) {
    if (failing) {
      return Future.failedFuture(new java.io.IOException("No space left on device"));
    }
    entries.add(entry);
    if (holding) {
      Promise<Void> p = Promise.promise();
      held.add(p);
      return p.future();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<JournalEntry>> newestFirst(String org, int limit) {
    List<JournalEntry> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
      if (entries.get(i).org().equals(org)) {
        out.add(entries.get(i));
      }
    }
    return Future.succeededFuture(out);
  }
}
