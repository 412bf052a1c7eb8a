package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.BaileysFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's archive on disk (issue 9): an archive stays a Baileys folder with its note
 * beside it, archives made before notes existed list and restore, a restore is one rename that a
 * replayed log never undoes, and nothing outside {@code archive/<org>/} is ever listed or moved.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileArchiveTest {

  static final Instant NOW = Instant.parse("2026-11-28T08:06:21.123Z");
  static final String ID = "2026-11-28T08-06-21.123Z";

  @TempDir Path dataDir;
  Vertx vertx;
  FileAuthStateStore store;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = new FileAuthStateStore(vertx, dataDir, Clock.fixed(NOW, ZoneOffset.UTC));
    result(store.open());
  }

  @AfterEach
  void close() throws Exception {
    result(store.close());
  }

  static JsonObject linkedCreds() {
    return new JsonObject().put("registrationId", 2).put("registered", false)
        .put("account", new JsonObject().put("details", "CMe…"))
        .put("me", new JsonObject().put("id", "5215550000001:7@s.whatsapp.net"))
        .put("processedHistoryMessages", new JsonArray());
  }

  @Test
  void anArchiveStaysABaileysFolderAndItsNoteLiesBesideIt() throws Exception {
    result(store.writeCreds("2", linkedCreds()));
    result(store.setKeys("2", Map.of("pre-key", Map.of("1", "{\"k\":1}"))));
    assertEquals("archive/2/" + ID,
        result(store.clear("2", "clear requested over HTTP", "user:ana")));

    Path archived = dataDir.resolve("archive/2/" + ID);
    assertEquals(List.of("creds.json", "pre-key-1.json"), names(archived),
        "only Baileys' files: the folder can be copied out and used by Baileys as it is");
    JsonObject note = new JsonObject(Files.readString(dataDir.resolve("archive/2/" + ID + ".json")));
    assertEquals("clear requested over HTTP", note.getString("reason"));
    assertEquals("user:ana", note.getString("actor"));
    ArchivedState listed = result(store.archives("2")).get(0);
    assertEquals(NOW, listed.archivedAt(), "the time in the folder's name");
    assertTrue(listed.linked(), "a device identity signed by the phone (account) is a login");
    assertEquals("5215550000001", listed.phone());

    result(store.restore("2", ID));
    assertFalse(Files.exists(dataDir.resolve("archive/2/" + ID + ".json")), "the note went too");
    assertFalse(Files.exists(archived));
    assertEquals(List.of("creds.json", "pre-key-1.json"), names(dataDir.resolve("auth_sessions/2")));
  }

  /** An archive of a Vigía that wrote no notes, or one a person moved there: a Baileys folder. */
  @Test
  void anArchiveWithoutANoteListsWithWhatItHoldsAndComesBackByteForByte() throws Exception {
    Path old = dataDir.resolve("archive/2/2026-10-01T09-30-00.000Z");
    copy(BaileysFixtures.org(), old);

    List<ArchivedState> archives = result(store.archives("2"));
    assertEquals(1, archives.size());
    ArchivedState listed = archives.get(0);
    assertEquals(Instant.parse("2026-10-01T09:30:00Z"), listed.archivedAt());
    assertNull(listed.reason(), "not recorded");
    assertNull(listed.actor(), "not recorded");
    assertTrue(listed.linked(), "the fixture is a linked Baileys login");
    assertEquals("5215550000001", listed.phone());

    result(store.restore("2", "2026-10-01T09-30-00.000Z"));
    Path live = dataDir.resolve("auth_sessions/2");
    assertEquals(contents(BaileysFixtures.org()), contents(live),
        "every file of the folder, byte for byte");
    assertEquals(812, result(store.keyIds("2", "pre-key", "")).size());
  }

  @Test
  void aRestoredSessionIsWhatTheArchiveHeldAfterALogReplay() throws Exception {
    result(store.writeCreds("2", linkedCreds()));
    result(store.setKeys("2", Map.of("session", Map.of("5215550001111.0", "{\"v\":1}"))));
    result(store.setKeys("2", Map.of("session", Map.of("5215550001111.0", "{\"v\":2}"))));
    result(store.clear("2", "test", "user:ana"));
    // a run after the clear deletes the key (Baileys does, e.g. on a bad session): no file, no state
    Map<String, String> deleted = new java.util.HashMap<>();
    deleted.put("5215550001111.0", null);
    result(store.setKeys("2", Map.of("session", deleted)));
    result(store.restore("2", ID));
    result(store.setKeys("2", Map.of("pre-key", Map.of("9", "{\"k\":9}"))));

    // a start after a crash replays the log: the writes before the clear, the clear, the delete,
    // the restore (a second store on the data dir before the first one retired its log)
    FileAuthStateStore reopened = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(reopened.open());
    assertEquals(linkedCreds(), result(reopened.readCreds("2")));
    assertEquals("{\"v\":2}", result(reopened.getKeys("2", "session",
        List.of("5215550001111.0"))).get("5215550001111.0"),
        "neither an older value nor the delete made before the restore");
    assertEquals("{\"k\":9}", result(reopened.getKeys("2", "pre-key", List.of("9"))).get("9"));
    result(reopened.flush());
    assertEquals("{\"v\":2}",
        Files.readString(dataDir.resolve("auth_sessions/2/session-5215550001111.0.json")));
    assertTrue(result(reopened.archives("2")).isEmpty());
    result(reopened.close());
  }

  @Test
  void nothingOutsideTheOrgsArchiveIsListedOrRestored(@TempDir Path elsewhere) throws Exception {
    Path outside = elsewhere.resolve("creds");
    copy(BaileysFixtures.org(), outside);
    Files.createDirectories(dataDir.resolve("archive/2"));
    Files.createSymbolicLink(dataDir.resolve("archive/2/2026-10-01T09-30-00.000Z"), outside);
    Files.createDirectories(dataDir.resolve("archive/2/not-an-archive"));
    Files.writeString(dataDir.resolve("archive/2/2026-10-02T09-30-00.000Z"), "a file, not a folder");

    assertEquals(List.of(), result(store.archives("2")), "links, files and other names are no archives");
    AuthStateException refused = assertInstanceOf(AuthStateException.class,
        failure(store.restore("2", "2026-10-01T09-30-00.000Z")));
    assertEquals(AuthStateException.Kind.NOT_FOUND, refused.kind());
    assertInstanceOf(AuthStateException.class,
        failure(store.restore("2", "2026-10-02T09-30-00.000Z")));
    assertInstanceOf(IllegalArgumentException.class, failure(store.restore("2", "not-an-archive")),
        "only names the store makes");
    assertNull(result(store.readCreds("2")));
    assertTrue(Files.isDirectory(outside), "the linked folder was not moved");
    assertEquals(contents(BaileysFixtures.org()), contents(outside));
  }

  @Test
  void aNoteLeftByACrashNeverListsAndNeverTakesAnArchivesName() throws Exception {
    // the process stopped after the note was written and before the folder moved
    Files.createDirectories(dataDir.resolve("archive/2"));
    Files.writeString(dataDir.resolve("archive/2/" + ID + ".json"), "{\"reason\":\"lost\"}");
    assertEquals(List.of(), result(store.archives("2")));

    result(store.writeCreds("2", linkedCreds()));
    assertEquals("archive/2/" + ID + "-1", result(store.clear("2", "test", "user:ana")),
        "the next clear takes a name of its own");
    assertEquals("test", result(store.archives("2")).get(0).reason());
  }

  @Test
  void aPurgeTakesTheNotesWithTheirArchivesAndTheNotesLeftAlone() throws Exception {
    result(store.writeCreds("2", linkedCreds()));
    result(store.clear("2", "test", "user:ana"));
    Files.writeString(dataDir.resolve("archive/2/2026-11-01T00-00-00.000Z.json"), "{}");

    assertEquals(1, result(store.purgeArchives(NOW.plusSeconds(1))));
    assertEquals(List.of(), names(dataDir.resolve("archive/2")), "folder, its note, a lost note");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        all.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return all;
  }
}
