package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.monitor.metrics.MonitorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A journal line that cannot be written is never dropped silently. */
class JournalWriterTest {

  final MemoryJournal journal = new MemoryJournal();
  final MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
  final JournalWriter writer = new JournalWriter(journal, metrics);
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(JournalWriter.class);

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  static JournalEntry decision(String org, String message) {
    return new JournalEntry(org, Instant.parse("2026-03-01T10:00:00Z"), JournalEntry.DECISION,
        null, null, null, message, "monitor");
  }

  @Test
  void aFailedAppendIsLoggedWithItsOrgAndCountedInTheMetrics() {
    journal.failAppends(true);
    Future<Void> done = writer.append(decision("acme", "reconnect attempt 1 in 1 s"));

    assertTrue(done.succeeded(), "the caller goes on: the failure is reported here");
    assertEquals(1.0, metrics.registry().get("vigia.journal.failures").counter().count());
    assertEquals(1, logged.list.size());
    ILoggingEvent event = logged.list.get(0);
    assertEquals(Level.ERROR, event.getLevel());
    assertEquals("acme", event.getMDCPropertyMap().get(OrgMdc.KEY));
    assertTrue(event.getFormattedMessage().contains("No space left on device"),
        event.getFormattedMessage());
  }

  @Test
  void drainedWaitsForEveryLineAskedFor() {
    journal.holdAppends();
    writer.append(decision("2", "one"));
    writer.append(decision("4", "two"));
    Future<Void> drained = writer.drained();
    assertFalse(drained.isComplete());
    journal.release();
    assertTrue(drained.succeeded());
    assertEquals(0.0, metrics.registry().get("vigia.journal.failures").counter().count());
  }
}
