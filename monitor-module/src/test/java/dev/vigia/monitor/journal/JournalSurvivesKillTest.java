package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.storage.ChildJvm;
import dev.vigia.common.storage.LogSegments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal lines the journal acknowledged are there after a {@code kill -9} (a real process, killed
 * while it appends), each once and in order, and every line of every file is whole. A torn last
 * log entry (what a crash in the middle of a write leaves) is ignored.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalSurvivesKillTest {

  @TempDir
  Path dataDir;

  @Test
  void everyAcknowledgedLineIsThereOnceAndInOrderAfterAKill9(Vertx vertx) throws Exception {
    int acked = killWhileAppending();

    List<Integer> one = null;
    FileJournal journal = new FileJournal(vertx, dataDir);
    try {
      for (int org = 1; org <= JournalWriterChild.ORGS; org++) {
        List<Integer> rounds = rounds(await(journal.newestFirst(String.valueOf(org), 10_000)));
        assertTrue(rounds.size() >= acked, "org " + org + " has " + rounds.size()
            + " lines after ACK " + acked);
        for (int i = 0; i < rounds.size(); i++) {
          assertEquals(i + 1, rounds.get(i), "org " + org + ": lines out of order or twice");
        }
        if (org == 1) {
          one = rounds;
        }
      }
      // the next line goes after the replayed ones
      await(journal.append(JournalWriterChild.line("1", one.size() + 1)));
      assertEquals(one.size() + 1, rounds(await(journal.newestFirst("1", 10_000))).size());
    } finally {
      await(journal.close());
    }
    // every line of every file is whole JSON, with or without the journal's help
    for (int org = 1; org <= JournalWriterChild.ORGS; org++) {
      for (String line : Files.readAllLines(file(String.valueOf(org)), StandardCharsets.UTF_8)) {
        Json.mapper().readValue(line, JournalEntry.class);
      }
    }
  }

  @Test
  void aTornLastLogEntryIsIgnoredAndTheLinesBeforeItAreRead(Vertx vertx) throws Exception {
    int acked = killWhileAppending();
    LogSegments.tearLastEntry(dataDir.resolve(FileJournal.LOG_FOLDER));

    FileJournal journal = new FileJournal(vertx, dataDir);
    try {
      for (int org = 1; org <= JournalWriterChild.ORGS; org++) {
        List<Integer> rounds = rounds(await(journal.newestFirst(String.valueOf(org), 10_000)));
        // the torn line may be the acknowledged one here: one line fewer at most
        assertTrue(rounds.size() >= acked - 1, "org " + org + ": " + rounds.size()
            + " lines after ACK " + acked);
        for (int i = 0; i < rounds.size(); i++) {
          assertEquals(i + 1, rounds.get(i), "org " + org + ": lines out of order or twice");
        }
      }
    } finally {
      await(journal.close());
    }
  }

  private int killWhileAppending() throws Exception {
    try (ChildJvm child = ChildJvm.start(JournalWriterChild.class, dataDir.toString())) {
      String line = child.awaitLine(Duration.ofSeconds(60), "ACK 40", "FAILED");
      assertTrue(line.startsWith("ACK"), line);
      child.kill();
      return child.lastNumberAfter("ACK ");
    }
  }

  private Path file(String org) {
    return dataDir.resolve(FileJournal.FOLDER).resolve(org + ".jsonl");
  }

  /** The rounds of {@code newestFirst}'s entries, oldest first. */
  private static List<Integer> rounds(List<JournalEntry> newestFirst) {
    List<Integer> rounds = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      rounds.add(Integer.parseInt(newestFirst.get(i).message().substring("round ".length())));
    }
    return rounds;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
