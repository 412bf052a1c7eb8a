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
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(20)
class FileJournalTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir
  Path dataDir;
  FileJournal journal;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    journal = new FileJournal(vertx, dataDir);
  }

  @AfterEach
  void closeJournal() throws Exception {
    journal.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JournalEntry entry(String org, int n) {
    return new JournalEntry(org, T0.plusSeconds(n), JournalEntry.STATE, SessionState.CONNECTED,
        SessionState.RECONNECTING, Cause.connectionLost(), "entry " + n, null);
  }

  private Future<Void> appendInTurn(String org, int from, int to) {
    Future<Void> f = Future.succeededFuture();
    for (int i = from; i < to; i++) {
      int n = i;
      f = f.compose(v -> journal.append(entry(org, n)));
    }
    return f;
  }

  private static List<String> messages(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::message).toList();
  }

  /** The folder is made once, not checked at every line; one that went away is made again. */
  @Test
  void aJournalFolderRemovedWhileRunningIsMadeAgainByTheNextLine() throws Exception {
    Path dir = dataDir.resolve("journal-files-only");
    JournalFiles files = new JournalFiles(dir);
    JournalLine first = new JournalLine("2", entry("2", 1));
    files.place(first);
    files.write(first);
    assertTrue(Files.isRegularFile(files.fileOf("2")));

    Files.delete(files.fileOf("2"));
    Files.delete(dir);
    JournalLine second = new JournalLine("4", entry("4", 2));
    files.place(second);
    files.write(second);
    assertTrue(Files.isRegularFile(files.fileOf("4")), "the folder is back with the line");
    assertTrue(Files.readString(files.fileOf("4"), StandardCharsets.UTF_8).contains("entry 2"));
  }

  @Test
  void entriesComeBackNewestFirstAndWhole(VertxTestContext ctx) {
    appendInTurn("2", 0, 5)
        .compose(v -> journal.newestFirst("2", 3))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(List.of("entry 4", "entry 3", "entry 2"), messages(entries));
          assertEquals(entry("2", 4), entries.get(0));
          ctx.completeNow();
        })));
  }

  @Test
  void appendsForOneOrgLandInTheOrderTheyWereMade(VertxTestContext ctx) {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(journal.append(entry("2", i)));
    }
    Future.all(all)
        .compose(v -> journal.newestFirst("2", 1000))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(200, entries.size());
          for (int i = 0; i < 200; i++) {
            assertEquals("entry " + (199 - i), entries.get(i).message());
          }
          ctx.completeNow();
        })));
  }

  @Test
  void aLineTornByACrashIsSkippedAndLaterAppendsStillRead(VertxTestContext ctx) {
    Path file = dataDir.resolve("journal").resolve("2.jsonl");
    appendInTurn("2", 0, 2)
        .compose(v -> journal.close())
        .compose(v -> {
          try {
            // a crash mid-append of an older version (no journal log): half a JSON object
            Files.writeString(file, "{\"org\":\"2\",\"at\":\"2026-03-01T1", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          journal = new FileJournal(vertx, dataDir);
          return journal.newestFirst("2", 10);
        })
        .compose(afterCrash -> {
          ctx.verify(() -> assertEquals(List.of("entry 1", "entry 0"), messages(afterCrash)));
          return journal.append(entry("2", 2));
        })
        .compose(v -> journal.newestFirst("2", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(List.of("entry 2", "entry 1", "entry 0"), messages(entries));
          ctx.completeNow();
        })));
  }

  @Test
  void anInvalidOrgIdIsRefusedAndWritesNothing(VertxTestContext ctx) {
    journal.append(entry("../x", 0))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertInstanceOf(IllegalArgumentException.class, err);
          assertTrue(noFilesUnder(dataDir), "nothing may be written for a bad org id");
          journal.newestFirst("%2e%2e", 10).onComplete(ctx.failing(e2 -> ctx.completeNow()));
        })));
  }

  @Test
  void anOrgWithoutAJournalHasNoEntries(VertxTestContext ctx) {
    journal.newestFirst("7", 10).onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
      assertTrue(entries.isEmpty());
      ctx.completeNow();
    })));
  }

  @Test
  void orgsHaveSeparateJournals(VertxTestContext ctx) {
    appendInTurn("2", 0, 2)
        .compose(v -> appendInTurn("4", 10, 11))
        .compose(v -> journal.newestFirst("4", 10))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(List.of("entry 10"), messages(entries));
          ctx.completeNow();
        })));
  }

  private static boolean noFilesUnder(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(Files::isRegularFile);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
