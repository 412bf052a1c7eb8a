package dev.vigia.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.common.storage.ChildJvm;
import dev.vigia.common.storage.LogSegments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session records the store acknowledged are there after a {@code kill -9} (a real process,
 * killed while it saves), though their files were not written yet: the log brings them back.
 * A torn last log entry (what a crash in the middle of a write leaves) is ignored.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionRecordsSurviveKillTest {

  @TempDir
  Path dataDir;

  @Test
  void everyAcknowledgedSaveIsThereAfterAKill9(Vertx vertx) throws Exception {
    int acked = killWhileSaving();
    assertTrue(filesReadable(), "a file in sessions/ is half written");

    Map<String, Long> loaded = loadAll(vertx);
    assertEquals(RecordSaverChild.ORGS, loaded.size(), loaded.toString());
    loaded.forEach((org, seq) -> assertTrue(seq >= acked,
        "org " + org + " came back with the save of round " + seq + " after ACK " + acked));
    // and the next start folded them into the files
    assertTrue(filesReadable());
    assertEquals(loaded, loadAll(vertx));
  }

  @Test
  void aTornLastLogEntryIsIgnoredAndTheEntriesBeforeItAreRead(Vertx vertx) throws Exception {
    int acked = killWhileSaving();
    LogSegments.tearLastEntry(dataDir.resolve(FileSessionRecordStore.LOG_FOLDER));

    Map<String, Long> loaded = loadAll(vertx);
    assertEquals(RecordSaverChild.ORGS, loaded.size(), loaded.toString());
    // the torn save is gone and its org has the save before it: one round older at most
    loaded.forEach((org, seq) -> assertTrue(seq >= acked - 1,
        "org " + org + " has round " + seq + " after ACK " + acked));
  }

  private int killWhileSaving() throws Exception {
    try (ChildJvm child = ChildJvm.start(RecordSaverChild.class, dataDir.toString())) {
      String line = child.awaitLine(Duration.ofSeconds(60), "ACK 40", "FAILED");
      assertTrue(line.startsWith("ACK"), line);
      child.kill();
      int acked = child.lastNumberAfter("ACK ");
      // saves never paused long enough for a checkpoint: the files lag behind the log
      assertTrue(upToDateFiles(acked) < RecordSaverChild.ORGS,
          "every file had the last acknowledged save; the test would not prove the replay");
      return acked;
    }
  }

  /** What the next start loads: each org's {@code seq}. */
  private Map<String, Long> loadAll(Vertx vertx) throws Exception {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    try {
      return await(store.loadAll()).stream()
          .collect(Collectors.toMap(SessionRecord::org, SessionRecord::seq, (a, b) -> a,
              TreeMap::new));
    } finally {
      await(store.close());
    }
  }

  /** Files holding the save of round {@code acked} or a later one. */
  private long upToDateFiles(int acked) throws Exception {
    Path dir = dataDir.resolve(FileSessionRecordStore.FOLDER);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> !AtomicFiles.isTemp(f)).toList();
    }
    long upToDate = 0;
    for (Path file : files) {
      if (Json.mapper().readValue(file.toFile(), SessionRecord.class).seq() >= acked) {
        upToDate++;
      }
    }
    return upToDate;
  }

  private boolean filesReadable() throws Exception {
    Path dir = dataDir.resolve(FileSessionRecordStore.FOLDER);
    if (!Files.isDirectory(dir)) {
      return true;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> !AtomicFiles.isTemp(f)).toList();
    }
    for (Path file : files) {
      try {
        Json.mapper().readValue(file.toFile(), SessionRecord.class);
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
