package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateStoreContractTest;
import dev.vigia.gateway.store.BaileysFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on local disk, plus what only the file layout can show. */
class FileAuthStateStoreTest extends AuthStateStoreContractTest {

  static final Instant NOW = Instant.parse("2026-11-28T08:06:21.123Z");

  @TempDir
  Path dataDir;

  private Vertx vertx;

  @Override
  protected AuthStateStore newStore(Vertx vertx) throws Exception {
    this.vertx = vertx;
    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.fixed(NOW, ZoneOffset.UTC));
    // the start-up sweep runs on a worker: let it finish before the test (and its temp-dir cleanup)
    store.open().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    return store;
  }

  @AfterEach
  void noInjectedFailure() {
    AuthLog.beforeSyncForTests = null;
    AtomicFiles.beforeDirectorySyncForTests = null;
  }

  @AfterEach
  void closeTheStore() throws Exception {
    // JUnit deletes the temp dir before it closes Vert.x: let the files settle first
    result(((FileAuthStateStore) store).close());
  }

  @Override
  protected void assertNothingStored() throws IOException {
    Path log = dataDir.resolve(AuthLog.DIR);
    try (Stream<Path> all = Files.walk(dataDir)) {
      List<Path> stored = all.filter(p -> !p.equals(dataDir) && !p.equals(sessions())
          && !p.equals(dataDir.resolve("archive")) && !p.startsWith(log)).toList();
      assertEquals(List.of(), stored, "nothing may be written for refused input");
    }
    try (Stream<Path> segments = Files.list(log)) {
      for (Path segment : segments.toList()) {
        assertEquals(List.of(), LogRecord.decodeAll(Files.readAllBytes(segment)),
            "nothing may be logged for refused input: " + segment.getFileName());
      }
    }
  }

  @Override
  protected String unusedArchiveId() {
    return "2020-01-01T00-00-00.000Z";
  }

  private FileAuthStateStore fileStore() {
    return (FileAuthStateStore) store;
  }

  private Path sessions() {
    return dataDir.resolve("auth_sessions");
  }

  @Test
  void keysAreFilesNamedAndEncodedAsBaileysWritesThem() throws Exception {
    String senderKey = "{\"type\":\"Buffer\",\"data\":\"W3sic2VuZGVy\"}";
    result(store.setKeys("2", batch("sender-key", SENDER_KEY_ID, senderKey)));
    result(store.setKeys("2", batch("app-state-sync-key", APP_STATE_KEY_ID, "{\"keyData\":\"H4\"}")));
    result(store.setKeys("2", batch("lid-mapping", "5215550002222", "\"99887766554433\"")));
    result(fileStore().flush());

    Path org = sessions().resolve("2");
    assertEquals(senderKey, Files.readString(
        org.resolve("sender-key-120363000000000001@g.us--5215550000001--0.json")));
    assertEquals("{\"keyData\":\"H4\"}",
        Files.readString(org.resolve("app-state-sync-key-AAAAAFx__ab+c.json")));
    assertEquals("\"99887766554433\"", Files.readString(org.resolve("lid-mapping-5215550002222.json")));
  }

  @Test
  void credsAreWrittenByteForByteAsBaileysWritesThem() throws Exception {
    byte[] baileys = Files.readAllBytes(BaileysFixtures.org().resolve("creds.json"));
    result(store.writeCreds("2", new JsonObject(Buffer.buffer(baileys))));
    result(fileStore().flush());
    assertArrayEquals(baileys, Files.readAllBytes(sessions().resolve("2").resolve("creds.json")),
        "compact JSON in Baileys' key order");
  }

  @Test
  void clearMovesTheWholeFolderToTheArchiveUnderItsUtcTime() throws Exception {
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("2", batch("pre-key", "1", "{\"k\":1}")));
    result(fileStore().flush());
    byte[] creds = Files.readAllBytes(sessions().resolve("2/creds.json"));

    assertEquals("archive/2/2026-11-28T08-06-21.123Z", result(store.clear("2", "test")));
    Path archived = dataDir.resolve("archive/2/2026-11-28T08-06-21.123Z");
    assertArrayEquals(creds, Files.readAllBytes(archived.resolve("creds.json")));
    assertEquals("{\"k\":1}", Files.readString(archived.resolve("pre-key-1.json")));
    assertFalse(Files.exists(sessions().resolve("2")), "no live folder remains");

    result(store.writeCreds("2", creds(3)));
    assertEquals("archive/2/2026-11-28T08-06-21.123Z-1", result(store.clear("2", "again")),
        "a second clear at the same instant never overwrites the first archive");
    assertTrue(Files.exists(archived.resolve("pre-key-1.json")));
  }

  @Test
  void onlyTheOwnerMayEnterTheFoldersThatHoldCredentials() throws Exception {
    result(((FileAuthStateStore) store).open());
    for (String dir : List.of("auth_sessions", "archive", "auth_log")) {
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dataDir.resolve(dir))), dir);
    }
  }

  @Test
  void theReadinessProbeLeavesNothingBehindAndFailsWhenSessionsCannotBeWritten()
      throws Exception {
    result(store.probe());
    try (Stream<Path> left = Files.list(sessions())) {
      assertEquals(List.of(), left.toList(), "the probe deletes what it wrote");
    }
    // tests run as root, where chmod does not stop writes: a file where the folder should be does
    Files.delete(sessions());
    Files.writeString(sessions(), "not a folder");
    Throwable failed = dev.vigia.gateway.store.Await.failure(store.probe());
    AuthStateException e = assertInstanceOf(AuthStateException.class, failed);
    assertTrue(e.getMessage().startsWith("cannot write in " + sessions()), e.getMessage());
  }

  @Test
  void aDataDirThatCannotBeUsedFailsOpenWithAClearMessage(@TempDir Path elsewhere) throws Exception {
    Path notADir = Files.writeString(elsewhere.resolve("a-file"), "x");
    Throwable failed = dev.vigia.gateway.store.Await.failure(
        new FileAuthStateStore(vertx, notADir, Clock.systemUTC()).open());
    AuthStateException e = assertInstanceOf(AuthStateException.class, failed);
    assertTrue(e.getMessage().contains("cannot use the data dir " + notADir), e.getMessage());
  }

  @Test
  void leftoversOfACrashAreIgnoredAndSweptOnOpen() throws Exception {
    Path org = sessions().resolve("2");
    Files.createDirectories(org);
    Files.writeString(org.resolve("pre-key-1.json"), "{\"k\":1}");
    Path halfWritten = org.resolve(AtomicFiles.TEMP_PREFIX + "pre-key-2.json-123");
    Files.writeString(halfWritten, "{\"private\":{\"ty");
    Path onlyTemp = sessions().resolve("4");
    Files.createDirectories(onlyTemp);
    Files.writeString(onlyTemp.resolve(AtomicFiles.TEMP_PREFIX + "creds.json-1"), "{");
    Path staging = sessions().resolve(BaileysFolderImport.STAGING_PREFIX + "7-abc");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("creds.json"), "{}");

    assertEquals(List.of("1"), result(store.keyIds("2", "pre-key", "")));
    FileAuthStateStore reopened = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(reopened.open());
    assertFalse(Files.exists(halfWritten), "temp files are swept");
    assertFalse(Files.exists(staging), "unfinished imports are swept");
    assertEquals(List.of("2"), orgs(result(reopened.list())), "temp files are no state");
    assertEquals(Map.of("1", "{\"k\":1}"),
        result(reopened.getKeys("2", "pre-key", List.of("1", "2"))));
  }

  @Test
  void aCrashedWriteLeavesTheOldValueReadable() throws Exception {
    result(store.setKeys("2", batch("session", "5215550001111.0", "{\"v\":\"old\"}")));
    result(fileStore().flush()); // the value in its file, not only in the log
    Path org = sessions().resolve("2");
    Files.write(org.resolve(AtomicFiles.TEMP_PREFIX + "session-5215550001111.0.json-x"),
        "{\"v\":\"ne".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"v\":\"old\"}",
        result(store.getKeys("2", "session", List.of("5215550001111.0"))).get("5215550001111.0"));
  }

  @Test
  void aClearedSessionStaysClearedWhenTheLogIsReplayed() throws Exception {
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("2", batch("pre-key", "1", "{\"k\":1}")));
    assertEquals("archive/2/2026-11-28T08-06-21.123Z", result(store.clear("2", "test")));

    // a restart replays the log, which still holds the writes made before the clear
    FileAuthStateStore reopened = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(reopened.open());
    assertEquals(null, result(reopened.readCreds("2")), "the cleared session did not come back");
    assertTrue(result(reopened.list()).isEmpty());
    result(reopened.flush());
    assertFalse(Files.exists(sessions().resolve("2")), "no folder re-created for it");
    assertEquals("{\"k\":1}", Files.readString(
        dataDir.resolve("archive/2/2026-11-28T08-06-21.123Z/pre-key-1.json")));
    result(reopened.close());
  }

  @Test
  void writesNotYetInTheirFilesAreThereAfterARestart() throws Exception {
    Map<String, String> keys = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      keys.put(String.valueOf(i), "{\"v\":" + i + "}");
    }
    result(store.setKeys("2", Map.of("pre-key", keys)));
    result(store.setKeys("2", batch("pre-key", "7", null)));
    // a second store on the same data dir replays the log, as a start after a crash would
    FileAuthStateStore reopened = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(reopened.open());
    Map<String, String> read = result(reopened.getKeys("2", "pre-key", keys.keySet()));
    assertEquals(299, read.size(), "every acknowledged key, and the deleted one gone");
    assertEquals("{\"v\":299}", read.get("299"));
    result(reopened.close());
  }

  @Test
  void aFailedLogSyncFailsTheWriteAndReadinessSaysSo() throws Exception {
    result(store.writeCreds("2", creds(2)));
    AuthLog.beforeSyncForTests = () -> {
      throw new java.io.UncheckedIOException(new IOException("EIO: injected fsync failure"));
    };
    AuthStateException failed = assertInstanceOf(AuthStateException.class,
        dev.vigia.gateway.store.Await.failure(store.writeCreds("2", creds(3))));
    assertEquals(AuthStateException.Kind.STORAGE, failed.kind());
    AuthLog.beforeSyncForTests = null;
    assertInstanceOf(AuthStateException.class,
        dev.vigia.gateway.store.Await.failure(store.setKeys("2", batch("pre-key", "1", "{}"))),
        "after a failed fsync the log's tail is unknown: no write is acknowledged any more");
    AuthStateException notReady = assertInstanceOf(AuthStateException.class,
        dev.vigia.gateway.store.Await.failure(store.probe()));
    assertTrue(notReady.getMessage().contains("auth-state writes are failing"),
        notReady.getMessage());
    assertEquals(2, result(store.readCreds("2")).getInteger("registrationId"),
        "the last acknowledged creds are still read");
  }

  @Test
  void aFailedFolderSyncKeepsTheLogAndReadinessSaysSoUntilItSucceeds() throws Exception {
    result(store.setKeys("2", batch("pre-key", "1", "{}")));
    AtomicFiles.beforeDirectorySyncForTests = dir -> {
      throw new IOException("EIO: injected fsync failure of " + dir.getFileName());
    };
    dev.vigia.gateway.store.Await.failure(fileStore().flush());
    assertInstanceOf(AuthStateException.class, dev.vigia.gateway.store.Await.failure(store.probe()));
    assertFalse(logIsEmpty(), "the values stay in the log while their files are not synced");
    AtomicFiles.beforeDirectorySyncForTests = null;
    result(fileStore().flush());
    result(store.probe());
    assertTrue(logIsEmpty(), "synced: the log is retired");
  }

  private boolean logIsEmpty() throws IOException {
    try (Stream<Path> segments = Files.list(dataDir.resolve(AuthLog.DIR))) {
      for (Path segment : segments.toList()) {
        if (!LogRecord.decodeAll(Files.readAllBytes(segment)).isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }
}
