package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import dev.vigia.gateway.store.BaileysFixtures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Importing a real {@code auth_sessions/<org>} folder written by Baileys itself. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BaileysFolderImportTest {

  /** Ids the fixture's files stand for, spelled as Baileys passes them to keys.get. */
  private static final Map<String, String[]> SPECIAL_IDS = Map.of(
      "sender-key-120363000000000001@g.us--5215550000001--7.json",
      new String[] {"sender-key", "120363000000000001@g.us::5215550000001::7"},
      "sender-key-memory-120363000000000001@g.us.json",
      new String[] {"sender-key-memory", "120363000000000001@g.us"},
      "session-5215550001111.3.json", new String[] {"session", "5215550001111.3"},
      "lid-mapping-5215550000001.json", new String[] {"lid-mapping", "5215550000001"},
      "lid-mapping-99887766554433_reverse.json",
      new String[] {"lid-mapping", "99887766554433_reverse"},
      "device-list-5215550000001.json", new String[] {"device-list", "5215550000001"},
      // Baileys' fixFileName: '/' → "__"; '+' stays
      "app-state-sync-key-AAAAAP__+.json", new String[] {"app-state-sync-key", "AAAAAP/+"});

  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  private FileAuthStateStore store;

  @BeforeEach
  void createStore(Vertx vertx) {
    store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
  }

  @AfterEach
  void closeTheStore() throws Exception {
    // JUnit deletes the temp dir before it closes Vert.x: let the files settle first
    result(store.close());
  }

  /** A writable copy of the repository's Baileys folder of a linked org. */
  static Path copyOfFixture(Path into) throws IOException {
    Path copy = Files.createDirectories(into.resolve("baileys-auth-org"));
    try (Stream<Path> files = Files.list(BaileysFixtures.org())) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    for (Path file : Files.newDirectoryStream(copy)) {
      file.toFile().setWritable(true);
    }
    return copy;
  }

  /** A small Baileys folder (creds, a pre-key, a session) for tests that need not copy 800 files. */
  static Path smallFolder(Path into) throws IOException {
    Path folder = Files.createDirectories(into.resolve("small-baileys-folder"));
    for (String name : List.of("creds.json", "pre-key-1.json", "session-5215550001111.3.json")) {
      Files.copy(BaileysFixtures.org().resolve(name), folder.resolve(name));
    }
    return folder;
  }

  @Test
  void theRealBaileysFolderImportsAndEveryFileReadsBackEqual() throws Exception {
    Path folder = copyOfFixture(work);
    Future<ImportReport> importing = store.importBaileysFolder("2", folder);
    result(store.writeCreds("4", new JsonObject().put("registrationId", 4)));
    assertFalse(importing.isComplete(), "another org's write does not wait for a long import");
    ImportReport report = result(importing);

    List<Path> files = sortedFiles(folder);
    assertEquals(822, files.size(), "test-fixtures/baileys/README.md lists the fixture's files");
    assertEquals(files.size(), report.files());
    assertEquals(Map.of("creds", 1, "pre-key", 812, "session", 1, "sender-key", 1,
        "sender-key-memory", 1, "app-state-sync-key", 3, "lid-mapping", 2, "device-list", 1),
        report.byType());

    Path org = dataDir.resolve("auth_sessions/2");
    assertEquals(files.size(), sortedFiles(org).size());
    for (Path file : files) {
      String name = file.getFileName().toString();
      byte[] original = Files.readAllBytes(file);
      assertArrayEquals(original, Files.readAllBytes(org.resolve(name)), name + " byte for byte");
      if (name.equals("creds.json")) {
        assertEquals(new JsonObject(Buffer.buffer(original)), result(store.readCreds("2")));
        continue;
      }
      String[] key = keyOf(name);
      Map<String, String> read = result(store.getKeys("2", key[0], List.of(key[1])));
      assertEquals(new String(original, java.nio.charset.StandardCharsets.UTF_8), read.get(key[1]),
          name + " through getKeys(" + key[0] + ", " + key[1] + ")");
    }
    assertEquals("\"99887766554433\"",
        result(store.getKeys("2", "lid-mapping", List.of("5215550000001"))).get("5215550000001"));
    assertEquals(812, result(store.keyIds("2", "pre-key", "")).size());
    assertEquals(List.of("5215550001111.3"), result(store.keyIds("2", "session", "5215550001111.")));
    assertEquals(List.of("120363000000000001@g.us::5215550000001::7"),
        result(store.keyIds("2", "sender-key", "120363000000000001@g.us::")));
    assertEquals(Set.of("AAAAAB+k", "AAAAAC+x", "AAAAAP/+"),
        Set.copyOf(result(store.keyIds("2", "app-state-sync-key", ""))),
        "base64 ids with '+' and '/' come back as Baileys spells them");
    assertEquals(List.of("2", "4"), result(store.list()).stream().map(s -> s.org()).toList());
    assertFalse(hasStaging(), "the staging folder was renamed into place");
  }

  @Test
  void aCorruptCredsFileIsRefusedNamingItAndNothingIsImported() throws Exception {
    Path folder = copyOfFixture(work);
    Files.writeString(folder.resolve("creds.json"), "{\"noiseKey\": garbage}");
    assertRefused(folder, "creds.json");
  }

  @Test
  void aTruncatedCredsFileIsRefusedNamingItAndNothingIsImported() throws Exception {
    Path folder = copyOfFixture(work);
    byte[] creds = Files.readAllBytes(folder.resolve("creds.json"));
    Files.write(folder.resolve("creds.json"), Arrays.copyOf(creds, creds.length / 2));
    assertRefused(folder, "creds.json");
  }

  @Test
  void aTruncatedPreKeyFileIsRefusedNamingItAndNothingIsImported() throws Exception {
    Path folder = copyOfFixture(work);
    byte[] preKey = Files.readAllBytes(folder.resolve("pre-key-777.json"));
    Files.write(folder.resolve("pre-key-777.json"), Arrays.copyOf(preKey, preKey.length - 3));
    assertRefused(folder, "pre-key-777.json");
  }

  @Test
  void credsWithoutTheKeysBaileysNeedsAreRefused() throws Exception {
    Path folder = copyOfFixture(work);
    JsonObject creds = new JsonObject(Files.readString(folder.resolve("creds.json")));
    creds.remove("advSecretKey");
    creds.remove("noiseKey");
    Files.writeString(folder.resolve("creds.json"), creds.encode());
    String message = assertRefused(folder, "creds.json");
    assertTrue(message.contains("noiseKey") && message.contains("advSecretKey"), message);
  }

  @Test
  void aFolderWithoutCredsOrWithStrangeFilesIsRefused() throws Exception {
    Path folder = copyOfFixture(work);
    Files.writeString(folder.resolve("notes.txt"), "{}");
    assertRefused(folder, "notes.txt");
    Files.delete(folder.resolve("notes.txt"));
    Files.writeString(folder.resolve("session-a:b.json"), "{}");
    assertRefused(folder, "session-a:b.json");
    Files.delete(folder.resolve("session-a:b.json"));
    Files.createDirectories(folder.resolve("pre-key-9999.json"));
    assertRefused(folder, "pre-key-9999.json");
    Files.delete(folder.resolve("pre-key-9999.json"));
    Files.delete(folder.resolve("creds.json"));
    assertRefused(folder, "creds.json");
    assertRefused(work.resolve("no-such-folder"), "no-such-folder");
  }

  @Test
  void anOrgThatHasStateIsNeverOverwrittenByAnImport() throws Exception {
    Path folder = smallFolder(work);
    JsonObject mine = new JsonObject().put("registrationId", 99);
    result(store.writeCreds("2", mine));
    Throwable refused = failure(store.importBaileysFolder("2", folder));
    AuthStateException e = assertInstanceOf(AuthStateException.class, refused);
    assertEquals(409, e.failureCode());
    assertTrue(e.getMessage().contains("already has auth state"), e.getMessage());
    assertEquals(mine, result(store.readCreds("2")));

    result(store.clear("2", "make room"));
    assertEquals(3, result(store.importBaileysFolder("2", folder)).files());
    assertEquals(List.of("1"), result(store.keyIds("2", "pre-key", "")));
  }

  private String assertRefused(Path folder, String fileName) throws Exception {
    Throwable refused = failure(store.importBaileysFolder("2", folder));
    AuthStateException e = assertInstanceOf(AuthStateException.class, refused);
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains(fileName), "the message names the file: " + e.getMessage());
    assertFalse(Files.exists(dataDir.resolve("auth_sessions/2")), "nothing under auth_sessions/2");
    assertFalse(hasStaging(), "no staging folder left");
    assertTrue(result(store.list()).isEmpty());
    return e.getMessage();
  }

  private boolean hasStaging() throws IOException {
    try (Stream<Path> entries = Files.list(dataDir.resolve("auth_sessions"))) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith(".import-"));
    }
  }

  /** The (type, id) a Baileys file name stands for, worked out independently of the store. */
  private static String[] keyOf(String name) {
    if (SPECIAL_IDS.containsKey(name)) {
      return SPECIAL_IDS.get(name);
    }
    for (String type : List.of("pre-key", "app-state-sync-key")) {
      if (name.startsWith(type + "-")) {
        return new String[] {type, name.substring(type.length() + 1, name.length() - 5)};
      }
    }
    throw new AssertionError("a fixture file the test does not know: " + name);
  }

  static List<Path> sortedFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
    }
  }

  static Map<String, byte[]> contents(Path folder) throws IOException {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (Path file : sortedFiles(folder)) {
      contents.put(file.getFileName().toString(), Files.readAllBytes(file));
    }
    return contents;
  }
}
