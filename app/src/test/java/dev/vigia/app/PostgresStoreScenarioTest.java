package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code VIGIA_STORE=postgres} over HTTP alone: a linked session's auth state lives in PostgreSQL
 * (nothing under {@code auth_sessions/}), survives a restart without a QR, and a clear moves it
 * into the archive rows; a data dir still holding the file store's sessions is refused until
 * they are imported.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class PostgresStoreScenarioTest {

  @TempDir Path data;
  Vigia vigia;
  final PgSettings db = TestPostgres.newDatabase();

  VigiaConfig config() {
    Map<String, String> m = new HashMap<>(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
        "VIGIA_SIM_QR_FIRST_MS", "20000",
        "VIGIA_SIM_RESTART_MS", "50",
        "VIGIA_STORE", "postgres",
        "VIGIA_PG_URL", db.toUrl(),
        "VIGIA_PG_POOL_SIZE", "4"));
    return VigiaConfig.fromMap(m);
  }

  ApiClient start(Vertx vertx) {
    vigia = ApiClient.await(Vigia.start(config(), Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    return admin;
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void aLinkedSessionLivesInPostgresSurvivesARestartAndClearsToTheArchive(Vertx vertx)
      throws Exception {
    ApiClient admin = start(vertx);
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 10);
    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    assertEquals(1, count("SELECT count(*) FROM auth_state WHERE org = '2' AND creds IS NOT NULL"),
        "the creds are in PostgreSQL");
    assertFalse(Files.exists(data.resolve("auth_sessions/2")), "and not in the data dir");

    int entriesBefore = SpineScenarioTest.journal(admin).size();
    vigia.stopAndWait();
    vigia = null;
    admin = start(vertx);
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    JsonArray all = SpineScenarioTest.journal(admin);
    for (int i = 0; i < all.size() - entriesBefore; i++) {
      assertNotEquals("QR_REQUIRED", all.getJsonObject(i).getString("to"),
          "no QR after a restart: " + all.getJsonObject(i));
    }

    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    assertEquals(0, count("SELECT count(*) FROM auth_state WHERE org = '2'"));
    assertEquals(1, count("SELECT count(*) FROM auth_archive WHERE org = '2' AND creds IS NOT NULL"),
        "the archive holds the old creds");
  }

  @Test
  void fileSessionsInTheDataDirAreRefusedUntilImportedIntoPostgres(Vertx vertx) throws Exception {
    Path folder = Files.createDirectories(data.resolve("auth_sessions/2"));
    Files.writeString(folder.resolve("creds.json"), new JsonObject()
        .put("noiseKey", new JsonObject()).put("signedIdentityKey", new JsonObject())
        .put("signedPreKey", new JsonObject()).put("registrationId", 7)
        .put("advSecretKey", "c2VjcmV0").encode());
    Files.writeString(folder.resolve("pre-key-1.json"), "{\"private\":\"a\"}");

    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> Vigia.start(config(), Clock.systemUTC())
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    String message = refused.getCause().getMessage();
    assertTrue(message.startsWith("VIGIA_STORE=postgres") && message.contains("org(s) 2")
        && message.contains("import-baileys"), message);
    assertEquals(1, message.lines().count(), message);

    assertEquals(0, Offline.importBaileys(config(), folder, "2"));
    assertEquals("{\"private\":\"a\"}", text(
        "SELECT value FROM auth_key WHERE org = '2' AND type = 'pre-key' AND id = '1'"));
    Files.move(data.resolve("auth_sessions"), data.resolve("auth_sessions.imported"));

    ApiClient admin = start(vertx);
    JsonArray sessions = admin.json(admin.get("/api/sessions")).getJsonArray("sessions");
    assertTrue(sessions.stream().map(JsonObject.class::cast)
        .anyMatch(s -> "2".equals(s.getString("org"))), "org 2 is listed from PostgreSQL: " + sessions);
  }

  private long count(String sql) throws Exception {
    return Long.parseLong(text(sql));
  }

  private String text(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
