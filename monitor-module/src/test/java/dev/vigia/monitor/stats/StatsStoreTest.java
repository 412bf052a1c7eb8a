package dev.vigia.monitor.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counter log and the per-org files: what a crash at each point leaves is counted once. */
class StatsStoreTest {

  static final LocalDate DAY = LocalDate.parse("2026-03-01");

  @TempDir Path dataDir;

  @AfterEach
  void noCrashHook() {
    AtomicFiles.beforeRenameForTests = null;
  }

  static StatsStore.Line sent(long n, String org, long count) {
    return new StatsStore.Line(n, org, DAY, count, 0, 0);
  }

  static long sentOf(StatsStore.Loaded loaded, String org) {
    DailyStats s = loaded.stats().get(org);
    return s == null ? 0 : s.page(DAY, 1).days().get(0).sent();
  }

  StatsStore.Loaded reload() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      return store.load();
    }
  }

  @Test
  void tempFilesACrashLeftInStatsAreSweptAtStart() throws IOException {
    Path stats = Files.createDirectories(dataDir.resolve("stats"));
    Files.writeString(stats.resolve(".tmp-2.json-1b2c"), "{\"org\":\"2\",\"da");
    Files.writeString(stats.resolve(".tmp-4.json-9f00"), "");
    StatsStore.Loaded loaded = reload();
    assertEquals(2, loaded.sweptTemps());
    try (var left = Files.list(stats)) {
      assertTrue(left.noneMatch(AtomicFiles::isTemp));
    }
  }

  @Test
  void countsInTheLogSurviveARestartAndAreFoldedIntoTheFiles() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      store.load();
      store.append(List.of(sent(1, "2", 3), sent(2, "4", 1)));
      store.append(List.of(sent(3, "2", 2)));
    } // no compaction: as after a kill
    StatsStore.Loaded loaded = reload();
    assertEquals(5, sentOf(loaded, "2"));
    assertEquals(1, sentOf(loaded, "4"));
    assertEquals(3, loaded.replayedLines());
    assertEquals(3, loaded.lastLine());
    assertEquals(0, Files.size(dataDir.resolve("stats/counts.log")), "folded at start");
    StatsStore.Loaded again = reload();
    assertEquals(5, sentOf(again, "2"));
    assertEquals(0, again.replayedLines());
    assertEquals(3, again.lastLine(), "numbering goes on after the files' last line");
  }

  @Test
  void aBatchWrittenAgainAfterAFailedWriteIsCountedOnce() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      store.load();
      store.append(List.of(sent(1, "2", 1), sent(2, "2", 1)));
      store.append(List.of(sent(1, "2", 1), sent(2, "2", 1), sent(3, "2", 1)));
    }
    assertEquals(3, sentOf(reload(), "2"));
  }

  @Test
  void aCrashWhileFoldingTheLogCountsNothingTwice() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      store.load();
      store.append(List.of(sent(1, "a", 2), sent(2, "b", 3)));
      DailyStats a = new DailyStats("a");
      a.add(DAY, 2, 0, 0);
      DailyStats b = new DailyStats("b");
      b.add(DAY, 3, 0, 0);
      AtomicInteger renames = new AtomicInteger();
      // the crash point: after a's file is in place, before b's and before the log is emptied
      AtomicFiles.beforeRenameForTests = () -> {
        if (renames.incrementAndGet() == 2) {
          throw new UncheckedIOException(new IOException("crash injected before the rename"));
        }
      };
      assertThrows(UncheckedIOException.class,
          () -> store.compact(List.of(a.snapshot(2), b.snapshot(2))));
    }
    AtomicFiles.beforeRenameForTests = null;
    assertTrue(Files.exists(dataDir.resolve("stats/a.json")));
    assertFalse(Files.exists(dataDir.resolve("stats/b.json")));
    StatsStore.Loaded loaded = reload();
    assertEquals(2, sentOf(loaded, "a"), "a's line is in its file: not replayed again");
    assertEquals(3, sentOf(loaded, "b"), "b's line is only in the log: replayed");
  }

  @Test
  void aLineTornByACrashIsSkippedAndTheNextOneStartsOnItsOwnLine() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      store.load();
      store.append(List.of(sent(1, "2", 1)));
    }
    Files.writeString(dataDir.resolve("stats/counts.log"), "{\"n\":2,\"org\":\"2\",\"da",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (StatsStore store = new StatsStore(dataDir)) {
      StatsStore.Loaded loaded = store.load();
      assertEquals(1, sentOf(loaded, "2"));
      store.append(List.of(sent(loaded.lastLine() + 1, "2", 4)));
    }
    assertEquals(5, sentOf(reload(), "2"));
  }

  @Test
  void aFileWrittenBeforeTheLogExistedStillLoads() throws IOException {
    Path stats = Files.createDirectories(dataDir.resolve("stats"));
    Files.writeString(stats.resolve("2.json"),
        "{\"org\":\"2\",\"days\":{\"2026-03-01\":{\"sent\":7,\"failed\":1,\"reconnects\":2}}}");
    StatsStore.Loaded loaded = reload();
    assertEquals(7, sentOf(loaded, "2"));
    assertEquals(0, loaded.lastLine());
  }

  @Test
  void linesThatCouldNotBeFoldedAtStartStayInTheLogAndAreNamedForTheNextFold() throws IOException {
    try (StatsStore store = new StatsStore(dataDir)) {
      store.load();
      store.append(List.of(sent(1, "2", 4)));
    }
    // something in the way of 2.json: folding it fails
    Files.createDirectories(dataDir.resolve("stats/2.json/in-the-way"));
    StatsStore.Loaded loaded = reload();
    assertEquals(4, sentOf(loaded, "2"));
    assertEquals(java.util.Set.of("2"), loaded.unfolded());
    assertTrue(Files.size(dataDir.resolve("stats/counts.log")) > 0, "the line is kept");
    assertEquals(4, sentOf(reload(), "2"), "still counted once after the next start");
  }
}
