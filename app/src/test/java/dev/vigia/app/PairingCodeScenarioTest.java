package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linking with a phone number instead of a QR: the person of the org reads the 8-character code
 * from the session, lists and API keys never carry it, and typing it links the session.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PairingCodeScenarioTest {

  @TempDir Path data;
  Vigia vigia;

  @AfterEach
  void stop() {
    vigia.stopAndWait();
  }

  @Test
  void thePairingCodeReachesOnlyThePeopleOfTheOrgAndLinksTheSession(Vertx vertx) throws Exception {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, store()), Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    String key = admin.json(admin.post("/api/orgs/2/api-keys", new JsonObject())).getString("key");

    assertEquals(400, admin.post("/api/sessions/2/connect",
        new JsonObject().put("method", "pairing_code")).statusCode(), "a phone number is needed");
    assertEquals(202, admin.post("/api/sessions/2/connect",
        new JsonObject().put("method", "pairing_code").put("phone", "5215550009999")).statusCode());
    JsonObject waiting = admin.await("/api/sessions/2",
        s -> "PAIRING_CODE".equals(s.getString("state")) && s.getJsonObject("pairingCode") != null, 10);
    String code = waiting.getJsonObject("pairingCode").getString("code");
    assertTrue(code.matches("[A-Z0-9]{8}"), code);
    assertNotNull(waiting.getJsonObject("pairingCode").getString("expiresAt"));

    JsonObject listed = admin.json(admin.get("/api/sessions")).getJsonArray("sessions").getJsonObject(0);
    assertEquals("PAIRING_CODE", listed.getString("state"));
    assertNull(listed.getJsonObject("pairingCode"), "lists never carry the code");
    ApiClient machine = new ApiClient(vertx, vigia.httpPort()).withApiKey(key);
    JsonObject seenByKey = machine.json(machine.get("/api/sessions/2"));
    assertEquals("PAIRING_CODE", seenByKey.getString("state"));
    assertNull(seenByKey.getJsonObject("pairingCode"), "API keys never see the code");

    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    JsonObject linked = admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    assertNull(linked.getJsonObject("pairingCode"));
  }

  /** The store this scenario runs with: the files; {@link PgPairingCodeScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }
}
