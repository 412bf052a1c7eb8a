package dev.vigia.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One process per data dir, with a message that says what to do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataDirLockTest {

  @TempDir
  Path dataDir;

  @Test
  void aSecondProcessOnTheSameDataDirIsRefusedUntilTheFirstOneDies() throws Exception {
    Process holder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), LockHolderChild.class.getName(),
        dataDir.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertEquals("LOCKED", line, "the child took the lock");

      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> DataDirLock.acquire(dataDir));
      assertClear(refused);
    } finally {
      holder.destroyForcibly();
      assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
    }
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      // a killed process leaves no stale lock behind
    }
  }

  @Test
  void theSameProcessCannotTakeTheLockTwice() throws Exception {
    DataDirLock first = DataDirLock.acquire(dataDir);
    try {
      assertClear(assertThrows(IllegalStateException.class, () -> DataDirLock.acquire(dataDir)));
    } finally {
      first.close();
    }
    DataDirLock.acquire(dataDir).close();
  }

  private void assertClear(IllegalStateException refused) {
    String message = refused.getMessage();
    for (String part : List.of("in use by another Vigía process", dataDir.toAbsolutePath().toString(),
        "VIGIA_DATA_DIR")) {
      assertTrue(message.contains(part), "'" + part + "' in: " + message);
    }
  }
}
