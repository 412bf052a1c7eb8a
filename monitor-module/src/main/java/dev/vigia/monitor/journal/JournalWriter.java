package dev.vigia.monitor.journal;

import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.monitor.metrics.MonitorMetrics;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the monitor's jobs write the journal. An append's future never fails: a failed append is
 * logged with the org in the MDC and counted ({@code vigia_journal_failures_total}), so a caller
 * can wait for its line ("decision journaled, then the command") without handling the error, and
 * no failure is dropped silently. {@link #drained()} lets a stop wait for every line asked for.
 * Use from one event loop.
 */
public final class JournalWriter {

  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

  private final Journal journal;
  private final MonitorMetrics metrics;
  private final Consumer<JournalEntry> onWritten;
  private final Set<Future<Void>> inFlight = new HashSet<>();

  public JournalWriter(Journal journal, MonitorMetrics metrics) {
    this(journal, metrics, entry -> { });
  }

  /** @param written told of each line once it is written (the live log views follow it) */
  public JournalWriter(Journal journal, MonitorMetrics metrics, Consumer<JournalEntry> written) {
    this.journal = journal;
    this.metrics = metrics;
    this.onWritten = written;
  }

  /** Appends {@code entry}; completes (successfully) once it is written or its failure counted. */
  public Future<Void> append(JournalEntry entry) {
    Future<Void> written;
    try {
      written = journal.append(entry);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    Future<Void> done = written.transform(ar -> {
      if (ar.failed()) {
        metrics.journalFailure();
        OrgMdc.run(entry.org(), () -> log.error("org {}: journal append failed ({} line lost): {}",
            entry.org(), entry.kind(), ar.cause().toString()));
      } else {
        onWritten.accept(entry);
      }
      return Future.<Void>succeededFuture();
    });
    if (!done.isComplete()) {
      inFlight.add(done);
      done.onComplete(ignored -> inFlight.remove(done));
    }
    return done;
  }

  /** Completes when every append asked for so far has finished. */
  public Future<Void> drained() {
    return Future.join(List.copyOf(inFlight)).mapEmpty();
  }

  /** The journal itself, for reads. */
  public Journal journal() {
    return journal;
  }
}
