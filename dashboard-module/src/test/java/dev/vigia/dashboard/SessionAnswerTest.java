package dev.vigia.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/sessions/{org}} reuses its last answer while nothing it is made of changed
 * (web/SessionAnswers): over real HTTP, every change shows on the very next request, a key never
 * gets the QR a person was just shown, and a revoked key is refused at once even though its
 * answer was ready.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionAnswerTest {

  private DashboardFixture fixture;
  private ApiClient api;

  @BeforeAll
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    fixture = new DashboardFixture(vertx, dataDir, null);
    api = fixture.api;
  }

  @AfterAll
  void close() {
    api.close();
  }

  @Test
  void theNextRequestSeesEveryChangeAndAKeyNeverTheQrAPersonWasShown() {
    Login key = Login.key(newKey("poller"));
    assertEquals(200, api.get("/api/sessions/4", key).status());
    assertEquals(202, api.post("/api/sessions/4/connect", fixture.operator, new JsonObject())
        .status());

    JsonObject person = get(fixture.operator);
    assertEquals("QR_REQUIRED", person.getString("state"));
    assertNotNull(person.getJsonObject("qr"), person.encode());
    JsonObject viaKey = get(key);
    assertEquals("QR_REQUIRED", viaKey.getString("state"), "the key sees the change at once");
    assertNull(viaKey.getValue("qr"), "a key never sees the QR: " + viaKey.encode());
    assertNotNull(get(fixture.operator).getJsonObject("qr"), "and the person still does");
    assertNull(get(key).getValue("qr"));

    assertEquals(202, api.post("/api/sim/sessions/4/scan", fixture.admin, new JsonObject())
        .status());
    assertEquals("CONNECTED", get(key).getString("state"));
    assertEquals(200, api.send(HttpMethod.PATCH, "/api/orgs/4", fixture.admin,
        new JsonObject().put("name", "Renamed"), null).status());
    assertEquals("Renamed", get(key).getString("name"), "a new name shows at once");
  }

  @Test
  void aRevokedKeyIsRefusedOnItsNextRequestThoughItsAnswerIsReady() {
    Login key = Login.key(newKey("revoked"));
    assertEquals(200, api.get("/api/sessions/4", key).status());
    assertEquals(200, api.get("/api/sessions/4", key).status());
    String id = api.get("/api/orgs/4/api-keys", fixture.admin).json().getJsonArray("keys")
        .stream().map(JsonObject.class::cast).filter(k -> "revoked".equals(k.getString("label")))
        .findFirst().orElseThrow().getString("id");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/orgs/4/api-keys/" + id, fixture.admin,
        null, null).status());
    Reply refused = api.get("/api/sessions/4", key);
    assertEquals(401, refused.status());
    assertFalse(refused.body().contains("\"state\""), refused.body());
  }

  private JsonObject get(Login login) {
    Reply r = api.get("/api/sessions/4", login);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private String newKey(String label) {
    Reply r = api.post("/api/orgs/4/api-keys", fixture.admin, new JsonObject().put("label", label));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("key");
  }
}
