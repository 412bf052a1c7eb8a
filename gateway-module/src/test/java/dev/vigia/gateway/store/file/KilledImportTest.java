package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.storage.ChildJvm;
import io.vertx.junit5.VertxExtension;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An import killed midway (a real process, killed for real) leaves all of it or none of it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KilledImportTest {

  private static final Logger LOG = LoggerFactory.getLogger(KilledImportTest.class);
  private static final int EXTRA_PRE_KEYS = 3000;

  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  @Test
  void anImportKilledWhileCopyingLeavesNoPartialStateAndItsStagingIsSwept(Vertx vertx)
      throws Exception {
    Path folder = BaileysFolderImportTest.copyOfFixture(work);
    byte[] preKey = Files.readAllBytes(folder.resolve("pre-key-1.json"));
    for (int i = 10_000; i < 10_000 + EXTRA_PRE_KEYS; i++) {
      Files.write(folder.resolve("pre-key-" + i + ".json"), preKey); // a big folder: a slow copy
    }
    Map<String, byte[]> original = BaileysFolderImportTest.contents(folder);

    boolean finished;
    try (ChildJvm child = ChildJvm.start(ImportChild.class, dataDir.toString(), "2",
        folder.toString())) {
      child.awaitLine(Duration.ofSeconds(40), "COPYING");
      child.kill();
      finished = child.printed("IMPORTED");
    }
    Path org = dataDir.resolve("auth_sessions/2");
    boolean stagingLeft = hasStaging();
    LOG.info("killed the import: finished={}, staging left={}, org folder={}", finished,
        stagingLeft, Files.exists(org));
    assertTrue(finished || stagingLeft || Files.exists(org), "the kill came while importing");

    FileAuthStateStore fresh = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(fresh.open());
    assertFalse(hasStaging(), "the staging folder of the killed import is swept on open");
    if (Files.exists(org)) {
      // the rename happened before the kill: then everything is there
      Map<String, byte[]> imported = BaileysFolderImportTest.contents(org);
      assertEquals(original.keySet(), imported.keySet());
      original.forEach((name, bytes) -> assertArrayEquals(bytes, imported.get(name), name));
    } else {
      assertNull(result(fresh.readCreds("2")), "no partial state: no creds");
      assertTrue(result(fresh.keyIds("2", "pre-key", "")).isEmpty(), "no partial state: no keys");
      assertTrue(result(fresh.list()).isEmpty());
      Path again = BaileysFolderImportTest.smallFolder(work);
      assertEquals(3, result(fresh.importBaileysFolder("2", again)).files(),
          "the import can be run again");
    }
    result(fresh.close()); // its files settle before JUnit deletes the folder
  }

  private boolean hasStaging() throws IOException {
    try (Stream<Path> entries = Files.list(dataDir.resolve("auth_sessions"))) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith(".import-"));
    }
  }
}
