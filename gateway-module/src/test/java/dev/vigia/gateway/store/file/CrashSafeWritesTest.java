package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigia.common.Json;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.common.storage.ChildJvm;
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

  @TempDir
  Path dataDir;

  @Test
  void keysWrittenByAKilledProcessAllParseAndTempFilesAreNeverSeen(Vertx vertx) throws Exception {
    Random random = new Random(42);
    Path org = dataDir.resolve("auth_sessions/2");
    for (String mode : List.of("run", "halt-on-temp", "run", "halt-on-temp")) {
      try (ChildJvm child = ChildJvm.start(KeyWriterChild.class, dataDir.toString(), "2", mode)) {
        String line = child.awaitLine(Duration.ofSeconds(40), "WROTE", "HALF");
        if (mode.equals("run") && line.startsWith("WROTE")) {
          Thread.sleep(random.nextInt(400)); // the test thread, not an event loop
        } else if (line.startsWith("WROTE")) {
          line = child.awaitLine(Duration.ofSeconds(40), "HALTED", "HALF");
        }
        child.kill();
        assertFalse(line.startsWith("HALF") || child.printed("HALF"),
            "a reader saw a half-written key file: " + line);
      }
      int temps = 0;
      for (Path file : BaileysFolderImportTest.sortedFiles(org)) {
        if (AtomicFiles.isTemp(file)) {
          temps++;
        } else {
          assertWhole(file.getFileName().toString(), Files.readString(file));
        }
      }
      LOG.info("after a {} crash: {} temp files", mode, temps);
      if (mode.equals("halt-on-temp")) {
        assertTrue(temps > 0, "the crash came between write and rename");
      }
    }

    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(store.open());
    result(store.flush()); // the replayed values in their files: no write is in flight
    assertTrue(BaileysFolderImportTest.sortedFiles(org).stream().noneMatch(AtomicFiles::isTemp),
        "temp files are swept on open");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < KeyWriterChild.KEYS; i++) {
      ids.add(String.valueOf(i));
    }
    Map<String, String> preKeys = result(store.getKeys("2", "pre-key", ids));
    assertFalse(preKeys.isEmpty());
    preKeys.forEach((id, value) -> assertWhole("pre-key " + id, value));
    result(store.close()); // its files settle before JUnit deletes the folder
  }

  private static void assertWhole(String what, String text) {
    JsonNode value;
    try {
      value = Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(what + " does not parse: a half-written file", e);
    }
    assertEquals(KeyWriterChild.LENGTH, text.length(), what + " is whole");
    assertTrue(value.get("round").asLong() >= 0, what);
  }
}
