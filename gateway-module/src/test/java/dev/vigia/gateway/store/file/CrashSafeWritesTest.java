package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigia.common.Json;
import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A process killed while it writes keys leaves every key old or new, never half-written. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrashSafeWritesTest {

  private static final Logger LOG = LoggerFactory.getLogger(CrashSafeWritesTest.class);
  private static final int ROUNDS = 3;

  @TempDir
  Path dataDir;

  @Test
  void keysWrittenByAKilledProcessAllParseAndTempFilesAreNeverSeen(Vertx vertx) throws Exception {
    Random random = new Random(42);
    Path org = dataDir.resolve("auth_sessions/2");
    int tempFilesSeen = 0;
    for (int round = 0; round < ROUNDS; round++) {
      try (ChildJvm child = ChildJvm.start(KeyWriterChild.class, dataDir.toString(), "2")) {
        child.awaitLine("WRITING", Duration.ofSeconds(30));
        Thread.sleep(50 + random.nextInt(300)); // the test thread, not an event loop
        child.kill();
      }
      for (Path file : BaileysFolderImportTest.sortedFiles(org)) {
        if (AtomicFiles.isTemp(file)) {
          tempFilesSeen++;
          continue;
        }
        assertCompleteValue(file.getFileName().toString(), Files.readString(file));
      }
    }
    LOG.info("{} temp files were left by {} kills", tempFilesSeen, ROUNDS);

    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(store.open());
    assertTrue(BaileysFolderImportTest.sortedFiles(org).stream().noneMatch(AtomicFiles::isTemp),
        "temp files are swept on open");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < KeyWriterChild.KEYS; i++) {
      ids.add(String.valueOf(i));
    }
    Map<String, String> preKeys = result(store.getKeys("2", "pre-key", ids));
    assertEquals(KeyWriterChild.KEYS, preKeys.size(), "every key written in round 0 is there");
    preKeys.forEach((id, value) -> assertCompleteValue("pre-key " + id, value));
    assertEquals(KeyWriterChild.KEYS, result(store.keyIds("2", "session", "52155500")).size());
  }

  private static void assertCompleteValue(String what, String text) {
    JsonNode value;
    try {
      value = Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(what + " does not parse: a half-written file", e);
    }
    assertEquals(KeyWriterChild.PAD, value.get("pad").asText().length(), what + " is complete");
    assertTrue(value.get("round").asLong() >= 0, what);
  }
}
