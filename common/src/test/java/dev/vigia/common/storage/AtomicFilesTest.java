package dev.vigia.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write is acknowledged only when its rename is durable; a disk that cannot make it so fails it. */
class AtomicFilesTest {

  @TempDir
  Path dir;

  @AfterEach
  void noInjectedFailure() {
    AtomicFiles.beforeDirectorySyncForTests = null;
  }

  @Test
  void aFailedFsyncOfTheFolderFailsTheWrite() throws Exception {
    Path target = dir.resolve("accounts.json");
    AtomicFiles.beforeDirectorySyncForTests = d -> {
      throw new IOException("EIO: injected fsync failure of " + d);
    };
    IOException failed = assertThrows(IOException.class,
        () -> AtomicFiles.write(target, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(failed.getMessage().contains("injected fsync failure"), failed.getMessage());
    assertEquals(0, temps(), "no temp file is left behind");

    assertThrows(IOException.class, () -> AtomicFiles.fsyncDirectory(dir));
    AtomicFiles.beforeDirectorySyncForTests = null;
    AtomicFiles.write(target, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"v\":2}", Files.readString(target), "a healthy disk writes as before");
  }

  @Test
  void aFolderThatCannotBeOpenedIsAFailureNotSilence() {
    Path missing = dir.resolve("gone");
    assertFalse(Files.exists(missing));
    assertThrows(IOException.class, () -> AtomicFiles.fsyncDirectory(missing));
  }

  @Test
  void aWriteReplacesTheFileWhole() throws Exception {
    Path target = dir.resolve("a.json");
    AtomicFiles.write(target, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "{\"v\":22}".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"v\":22}", Files.readString(target));
    assertEquals(0, temps());
  }

  private long temps() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(AtomicFiles::isTemp).count();
    }
  }
}
