package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.gateway.store.file.BaileysFolder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-store}: a file data dir that was used (an org linked, cleared into the archive,
 * linked again, an operator of it, an API key, an admin token) plus the two real Baileys folders
 * of the repository's fixture, imported, is copied into PostgreSQL; every org verifies, both
 * folders read back byte for byte, a second run
 * finds nothing to copy, a run repeated before the folders were moved replaces rather than
 * doubles, and Vigía then starts on PostgreSQL with the org linked, the admin's password and admin token.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class MigrateStoreTest {

  @TempDir Path data;
  final PgSettings db = TestPostgres.newDatabase();
  Vigia vigia;

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void aUsedFileDataDirMovesIntoPostgresVerifiedAndRepeatable(Vertx vertx) throws Exception {
    VigiaConfig files = SpineScenarioTest.config(data);
    vigia = ApiClient.await(Vigia.start(files, Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    assertEquals(201, admin.post("/api/users", new JsonObject().put("username", "ana")
        .put("password", "operator-of-two").put("role", "operator")
        .put("orgs", new JsonArray().add("2"))).statusCode());
    link(admin);
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    link(admin);
    assertEquals(201, admin.post("/api/orgs/2/api-keys", new JsonObject().put("label", "crm"))
        .statusCode());
    var made = admin.post("/api/tokens", new JsonObject().put("label", "laptop"));
    assertEquals(201, made.statusCode(), made.bodyAsString());
    String adminToken = admin.json(made).getString("token");
    int journal = SpineScenarioTest.journal(admin).size();
    vigia.stopAndWait();
    vigia = null;
    Path fixture = SubcommandsIT.fixture();
    Path contactFixture = fixture.resolveSibling("auth-contact");
    assertEquals(0, Offline.importBaileys(files, fixture, "real"));
    assertEquals(0, Offline.importBaileys(files, contactFixture, "contact"));

    List<String> first = migrate(files, 0);
    assertEquals(3, first.stream().filter(l -> l.startsWith("org ")
        && l.endsWith("(PostgreSQL: the same)")).count(), String.join("\n", first));
    assertTrue(first.stream().anyMatch(l -> l.startsWith("org 2: creds, ")
        && l.contains(" 1 archived auth states, a session record, " + journal
            + " journal entries")), String.join("\n", first));
    assertTrue(first.contains("users: 2 in the accounts file, 2 the same in PostgreSQL"), first
        .toString());
    assertTrue(first.contains("admin tokens: 1 in the tokens file, 1 the same in PostgreSQL"),
        first.toString());
    assertFolderReadsBackByteForByte(fixture, "real", 822);
    assertFolderReadsBackByteForByte(contactFixture, "contact", 818);

    // the data dir keeps only the lock and the folders moved aside: a second run copies nothing
    Path aside;
    try (Stream<Path> top = Files.list(data)) {
      List<Path> left = top.filter(p -> !p.getFileName().toString().equals("vigia.lock")).toList();
      assertEquals(1, left.size(), left.toString());
      aside = left.get(0);
    }
    assertTrue(aside.getFileName().toString().startsWith(MigrateStore.ASIDE), aside.toString());
    assertTrue(migrate(files, 0).get(0).startsWith("nothing to copy"));

    // a run that stopped before the move is run again: the same rows, the journal not doubled
    try (Stream<Path> folders = Files.list(aside)) {
      for (Path f : (Iterable<Path>) folders::iterator) {
        Files.move(f, data.resolve(f.getFileName()));
      }
    }
    List<String> again = migrate(files, 0);
    assertEquals(first.stream().filter(l -> l.startsWith("org ")).toList(),
        again.stream().filter(l -> l.startsWith("org ")).toList());
    assertEquals(journal, count("SELECT count(*) FROM journal_entry WHERE org = '2'"));
    assertEquals(1, count("SELECT count(*) FROM admin_token"), "the token not doubled");

    // Vigía on PostgreSQL: the admin's password, org 2 linked again without a QR
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, TestStore.postgres(db)),
        Clock.systemUTC()));
    admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 20);
    ApiClient ana = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, ana.login("ana", "operator-of-two").statusCode());
    assertEquals(200, ana.get("/api/sessions/2").statusCode(), "ana still sees org 2");
    assertEquals(200, statusWithToken(vigia.httpPort(), adminToken),
        "the command line's admin token still works");
    JsonArray entries = SpineScenarioTest.journal(admin);
    assertTrue(entries.size() > journal, "the file journal's entries, then the restore's");
    for (int i = 0; i < entries.size() - journal; i++) {
      assertNotEquals("QR_REQUIRED", entries.getJsonObject(i).getString("to"),
          "no QR after the move: " + entries.getJsonObject(i));
    }
  }

  private void link(ApiClient admin) throws InterruptedException {
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 10);
    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
  }

  /** {@code GET /api/ops/status} as {@code vigia status} sends it: the token as a bearer. */
  private static int statusWithToken(int port, String token) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/ops/status")).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private List<String> migrate(VigiaConfig config, int code) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertEquals(code, MigrateStore.run(config, db.toUrl(), out), bytes.toString(
          StandardCharsets.UTF_8));
    }
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** {@code files}: how many test-fixtures/baileys/README.md lists in the folder. */
  private void assertFolderReadsBackByteForByte(Path folder, String org, int files)
      throws Exception {
    int checked = 0;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Stream<Path> all = Files.list(folder)) {
      for (Path file : (Iterable<Path>) all::iterator) {
        BaileysFolder.Key key = BaileysFolder.keyOf(file.getFileName().toString());
        String stored = key == null
            ? text(c, "SELECT creds FROM auth_state WHERE org = ?", org)
            : text(c, "SELECT value FROM auth_key WHERE org = ? AND type = ? AND id = ?",
                org, key.type(), key.id());
        assertArrayEquals(Files.readAllBytes(file), stored == null ? null
            : stored.getBytes(StandardCharsets.UTF_8), org + ": " + file.getFileName());
        checked++;
      }
    }
    assertEquals(files, checked, "the fixture's files of " + org);
  }

  private long count(String sql) {
    return Long.parseLong(TestPostgres.value(db, sql));
  }

  private static String text(Connection c, String sql, String... args) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
