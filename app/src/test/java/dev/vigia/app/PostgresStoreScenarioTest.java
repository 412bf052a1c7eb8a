package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * {@code VIGIA_STORE=postgres} on a data dir still holding the file store's sessions: refused
 * with one line naming them and {@code migrate-store}, until they are in PostgreSQL (here one
 * imported with {@code import-baileys}, the folder moved away). {@link PgSpineScenarioTest} runs
 * the linked session's life on PostgreSQL, {@link MigrateStoreTest} the whole move.
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
        && message.contains("migrate-store"), message);
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

  private String text(String sql) {
    String value = TestPostgres.value(db, sql);
    assertNotNull(value, sql);
    return value;
  }
}
