package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.journal.JournalEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link Journal} must do (files, PostgreSQL): a concrete test says how to make an
 * empty journal and how to open the same storage again, as a restart would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class JournalContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  protected Vertx vertx;
  protected Journal journal;

  protected abstract Journal newJournal(Vertx vertx) throws Exception;

  protected abstract Journal reopen(Vertx vertx) throws Exception;

  /** Fails when anything at all was stored. */
  protected abstract void assertNothingStored() throws Exception;

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    journal = newJournal(vertx);
  }

  static JournalEntry entry(String org, int n) {
    return new JournalEntry(org, T0.plusSeconds(n), JournalEntry.STATE, SessionState.CONNECTED,
        SessionState.RECONNECTING, Cause.connectionLost(), "entry " + n + " — ñandú", "monitor");
  }

  @Test
  void entriesComeBackNewestFirstAndWholeAfterARestart() throws Exception {
    for (int i = 0; i < 5; i++) {
      await(journal.append(entry("2", i)));
    }
    List<JournalEntry> newest = await(reopen(vertx).newestFirst("2", 3));
    assertEquals(List.of(entry("2", 4), entry("2", 3), entry("2", 2)), newest);
  }

  @Test
  void appendsForOneOrgLandInTheOrderTheyWereMadeAndAReadSeesThem() throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(journal.append(entry("2", i)));
    }
    // asked before the appends finished: it still sees every one of them
    List<JournalEntry> entries = await(journal.newestFirst("2", 1000));
    await(Future.all(all));
    assertEquals(200, entries.size());
    for (int i = 0; i < 200; i++) {
      assertEquals("entry " + (199 - i) + " — ñandú", entries.get(i).message());
    }
  }

  @Test
  void orgsHaveSeparateJournalsAndAnOrgWithoutOneHasNoEntries() throws Exception {
    await(journal.append(entry("2", 0)));
    await(journal.append(entry("4", 10)));
    await(journal.append(entry("2", 1)));
    assertEquals(List.of(entry("4", 10)), await(journal.newestFirst("4", 10)));
    assertEquals(2, await(journal.newestFirst("2", 10)).size());
    assertTrue(await(journal.newestFirst("7", 10)).isEmpty());
  }

  @Test
  void badOrgIdsAndLimitsAreRefusedAndWriteNothing() throws Exception {
    for (String bad : List.of("../x", "%2e%2e", "", "a".repeat(65))) {
      assertInstanceOf(IllegalArgumentException.class, failure(journal.append(entry(bad, 0))));
      assertInstanceOf(IllegalArgumentException.class, failure(journal.newestFirst(bad, 10)));
    }
    assertInstanceOf(IllegalArgumentException.class, failure(journal.newestFirst("2", 0)));
    assertNothingStored();
  }

  protected static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  protected static Throwable failure(Future<?> f) throws Exception {
    try {
      Object value = f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
