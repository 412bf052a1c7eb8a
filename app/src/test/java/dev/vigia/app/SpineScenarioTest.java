package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2, "Done when" 2: over HTTP alone, with the simulated engine, an admin links org 2,
 * survives a restart without a new QR, clears it to the archive and links again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SpineScenarioTest {

  static final String ADMIN_PASSWORD = "correct horse battery";

  @TempDir Path data;
  Vigia vigia;

  static VigiaConfig config(Path data) {
    return config(data, TestStore.files(data));
  }

  /** The scenarios' settings, with every store in {@code store}. */
  static VigiaConfig config(Path data, TestStore store) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "VIGIA_SIM_QR_FIRST_MS", "20000",
        "VIGIA_SIM_RESTART_MS", "50"));
    settings.putAll(store.settings());
    return VigiaConfig.fromMap(settings);
  }

  /** The store this scenario runs with: the files; {@link PgSpineScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  Vigia start() {
    vigia = ApiClient.await(Vigia.start(config(data, store()), Clock.systemUTC()));
    return vigia;
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void linkSurviveRestartClearAndLinkAgain(Vertx vertx) throws Exception {
    ApiClient admin = new ApiClient(vertx, start().httpPort());
    assertEquals(200, admin.login("admin", ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs",
        new JsonObject().put("id", "2").put("name", "CompuEasys")).statusCode());

    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    JsonObject waiting = admin.await("/api/sessions/2",
        s -> "QR_REQUIRED".equals(s.getString("state")) && s.getJsonObject("qr") != null, 10);
    String firstQr = waiting.getJsonObject("qr").getString("payload");
    assertFalse(firstQr.isBlank());
    assertEquals(firstQr, admin.json(admin.get("/api/sessions/2/qr")).getString("payload"));

    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    JsonObject linked = admin.await("/api/sessions/2",
        s -> "CONNECTED".equals(s.getString("state")), 10);
    assertNotNull(linked.getJsonObject("me").getString("jid"));
    assertTrue(journalCodes(admin).contains(515), "the 515 after the scan is in the journal");
    assertNotNull(store().creds(vigia, "2"), "the creds are stored");

    // the process restarts: org 2 comes back linked, with no QR shown on the way
    int entriesBefore = journal(admin).size();
    vigia.stopAndWait();
    vigia = null;
    admin = new ApiClient(vertx, start().httpPort());
    assertEquals(200, admin.login("admin", ADMIN_PASSWORD).statusCode());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    JsonArray all = journal(admin);
    for (int i = 0; i < all.size() - entriesBefore; i++) {
      assertNotEquals("QR_REQUIRED", all.getJsonObject(i).getString("to"),
          "no QR after a restart: " + all.getJsonObject(i));
    }

    // clear: the old JSON answer, the archive holds the old files, no live creds remain
    var cleared = admin.post("/api/sessions/2/clear", new JsonObject());
    assertEquals(200, cleared.statusCode());
    assertEquals(new JsonObject().put("success", true).put("message", "Sesión limpiada correctamente"),
        cleared.bodyAsJsonObject());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    assertNull(store().creds(vigia, "2"), "no live creds remain");
    assertEquals(1, store().archivedCreds("2"), "the archive holds the old creds");

    // connect again: a new QR
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    JsonObject again = admin.await("/api/sessions/2",
        s -> "QR_REQUIRED".equals(s.getString("state")) && s.getJsonObject("qr") != null, 10);
    assertNotEquals(firstQr, again.getJsonObject("qr").getString("payload"));
  }

  static JsonArray journal(ApiClient client) {
    var r = client.get("/api/sessions/2/events?limit=1000");
    assertEquals(200, r.statusCode());
    return r.bodyAsJsonObject().getJsonArray("entries");
  }

  static List<Integer> journalCodes(ApiClient client) {
    return journal(client).stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("cause"))
        .filter(c -> c != null && c.getInteger("code") != null)
        .map(c -> c.getInteger("code")).toList();
  }
}
