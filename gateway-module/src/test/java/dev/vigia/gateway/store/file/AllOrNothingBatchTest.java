package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigia.common.Json;
import dev.vigia.common.storage.ChildJvm;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch is all or nothing after a crash in the middle of it (a real process, halted): every key
 * of the batch is new, or every key is old, whatever the point of the crash.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AllOrNothingBatchTest {

  @TempDir
  Path dataDir;

  @Test
  void aBatchHalfInItsFilesWhenTheProcessDiesIsWholeAfterTheRestart(Vertx vertx)
      throws Exception {
    crash("mid-apply");
    assertEquals(new TreeSet<>(List.of(1, 2)), roundsInFiles(),
        "the crash came with half of the batch in its files");
    assertEquals(new TreeSet<>(List.of(2)), roundsAfterRestart(vertx),
        "the acknowledged batch is whole: every key new");
    assertEquals(new TreeSet<>(List.of(2)), roundsInFiles(), "and so are its files");
  }

  @Test
  void aBatchWhoseLogEntryIsTornIsNotThereAtAll(Vertx vertx) throws Exception {
    crash("before-sync");
    assertEquals(new TreeSet<>(List.of(1)), roundsInFiles());
    tearTheLastLogEntry();
    assertEquals(new TreeSet<>(List.of(1)), roundsAfterRestart(vertx),
        "a torn batch is not applied at all: every key old");
  }

  @Test
  void aBatchWrittenButNotSyncedWhenTheProcessDiesIsReplayedWhole(Vertx vertx) throws Exception {
    crash("before-sync");
    // the process died, not the machine: its entry is whole in the page cache, so it replays
    assertEquals(new TreeSet<>(List.of(2)), roundsAfterRestart(vertx));
  }

  private void crash(String mode) throws Exception {
    try (ChildJvm child = ChildJvm.start(BatchCrashChild.class, dataDir.toString(), mode)) {
      child.awaitLine(Duration.ofSeconds(60), "BATCH1");
      String line = child.awaitLine(Duration.ofSeconds(60), "HALTED", "FAILED");
      assertTrue(line.startsWith("HALTED"), line);
      child.kill();
    }
  }

  private TreeSet<Integer> roundsAfterRestart(Vertx vertx) throws Exception {
    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    try {
      result(store.open());
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= BatchCrashChild.KEYS; i++) {
        ids.add(String.valueOf(i));
      }
      Map<String, String> keys = result(store.getKeys("2", "pre-key", ids));
      assertEquals(BatchCrashChild.KEYS, keys.size(), "every key is there");
      TreeSet<Integer> rounds = new TreeSet<>();
      for (String value : keys.values()) {
        rounds.add(Json.mapper().readTree(value).get("round").asInt());
      }
      return rounds;
    } finally {
      result(store.close());
    }
  }

  private TreeSet<Integer> roundsInFiles() throws Exception {
    TreeSet<Integer> rounds = new TreeSet<>();
    try (Stream<Path> files = Files.list(dataDir.resolve("auth_sessions/2"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("pre-key-"))
          .toList()) {
        JsonNode value = Json.mapper().readTree(file.toFile());
        rounds.add(value.get("round").asInt());
      }
    }
    return rounds;
  }

  /** A power cut in the middle of the append: the second half of the last entry never hit the disk. */
  private void tearTheLastLogEntry() throws Exception {
    Path segment;
    try (Stream<Path> segments = Files.list(dataDir.resolve(AuthLog.DIR))) {
      segment = segments.filter(s -> {
        try {
          return !LogRecord.decodeAll(Files.readAllBytes(s)).isEmpty();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).max(Path::compareTo).orElseThrow();
    }
    List<LogRecord> records = LogRecord.decodeAll(Files.readAllBytes(segment));
    int start = 0;
    for (int i = 0; i < records.size() - 1; i++) {
      start += records.get(i).encode().length;
    }
    LogRecord last = records.get(records.size() - 1);
    assertTrue(last.files().containsKey("pre-key-1.json"), "the last entry is batch 2");
    int length = last.encode().length;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(length / 2), start + length - length / 2);
    }
    assertEquals(records.size() - 1, LogRecord.decodeAll(Files.readAllBytes(segment)).size());
  }
}
