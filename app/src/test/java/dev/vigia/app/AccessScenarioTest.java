package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2, "Done when" 3: who may do what. An operator of org 4 never reaches org 2; requests
 * without a cookie, without the XSRF header, with bad org ids or bad bodies are refused, and none
 * of them writes anything.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class AccessScenarioTest {

  @TempDir Path data;
  Vigia vigia;
  ApiClient admin;
  ApiClient operator4;

  @BeforeEach
  void start(Vertx vertx) {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, store()),
        Clock.systemUTC()));
    admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    for (String org : new String[] {"2", "4"}) {
      assertEquals(201, admin.post("/api/orgs",
          new JsonObject().put("id", org).put("name", "Org " + org)).statusCode());
    }
    assertEquals(201, admin.post("/api/users", new JsonObject().put("username", "ana")
        .put("password", "operator-of-four").put("role", "operator")
        .put("orgs", new JsonArray().add("4"))).statusCode());
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    operator4 = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, operator4.login("ana", "operator-of-four").statusCode());
  }

  @AfterEach
  void stop() {
    vigia.stopAndWait();
  }

  @Test
  void operatorOfOrgFourNeverReachesOrgTwo() throws Exception {
    Map<String, String> before = snapshot();
    String[] gets = {"/api/sessions/2", "/api/sessions/2/qr", "/api/sessions/2/events"};
    for (String path : gets) {
      assertEquals(403, operator4.get(path).statusCode(), "GET " + path);
    }
    String[] posts = {"/api/sessions/2/connect", "/api/sessions/2/disconnect",
        "/api/sessions/2/logout", "/api/sessions/2/clear"};
    for (String path : posts) {
      assertEquals(403, operator4.post(path, new JsonObject()).statusCode(), "POST " + path);
    }
    JsonArray visible = operator4.json(operator4.get("/api/sessions")).getJsonArray("sessions");
    for (Object s : visible) {
      assertEquals("4", ((JsonObject) s).getString("org"), "operator 4 sees only org 4");
    }
    assertEquals(new JsonArray().add("4"), operator4.json(operator4.get("/api/me")).getJsonArray("orgs"));
    assertEquals(before, snapshot(), "refused requests write nothing");
  }

  @Test
  void noCookieIsUnauthorizedAndNoXsrfIsForbidden(Vertx vertx) throws Exception {
    Map<String, String> before = snapshot();
    ApiClient stranger = new ApiClient(vertx, vigia.httpPort());
    assertEquals(401, stranger.get("/api/sessions").statusCode());
    assertEquals(401, stranger.get("/api/sessions/2").statusCode());
    assertEquals(401, stranger.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    HttpResponse<Buffer> forged = admin.postWithoutXsrf("/api/sessions/2/clear", new JsonObject());
    assertEquals(403, forged.statusCode());
    assertErrorShape(forged);
    assertEquals(before, snapshot(), "refused requests write nothing");
    assertEquals("QR_REQUIRED", admin.json(admin.get("/api/sessions/2")).getString("state"));
  }

  @Test
  void badOrgIdsAndBadBodiesAreRefusedWithAClearError() throws Exception {
    Map<String, String> before = snapshot();
    String longId = "a".repeat(65);
    for (String path : new String[] {"/api/sessions/..%2Fx", "/api/sessions/%2e%2e",
        "/api/sessions/" + longId}) {
      HttpResponse<Buffer> r = admin.get(path);
      assertEquals(400, r.statusCode(), "GET " + path);
      assertErrorShape(r);
      HttpResponse<Buffer> p = admin.send(HttpMethod.POST, path + "/clear", new JsonObject(), true);
      assertEquals(400, p.statusCode(), "POST " + path + "/clear");
    }
    for (String id : new String[] {"../x", "%2e%2e", longId}) {
      HttpResponse<Buffer> r = admin.post("/api/orgs", new JsonObject().put("id", id).put("name", "x"));
      assertEquals(400, r.statusCode(), "create org " + id);
      assertErrorShape(r);
    }
    HttpResponse<Buffer> malformed = admin.postRaw("/api/sessions/2/connect", "application/json",
        Buffer.buffer("{\"method\": "));
    assertEquals(400, malformed.statusCode());
    assertErrorShape(malformed);
    HttpResponse<Buffer> wrongType = admin.post("/api/sessions/2/connect",
        new JsonObject().put("takeover", "yes please"));
    assertEquals(400, wrongType.statusCode());
    assertErrorShape(wrongType);
    HttpResponse<Buffer> oldClear = admin.send(HttpMethod.POST, "/api/clear-session",
        new JsonObject().put("organization_id", "../2"), true);
    assertFalse(oldClear.statusCode() < 300, "old endpoint refuses a bad id");
    assertEquals(before, snapshot(), "refused requests write nothing");
  }

  static void assertErrorShape(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    assertNotNull(body.getString("error"), "error message in " + body);
    assertNotNull(body.getString("code"), "machine code in " + body);
    assertFalse(body.encode().contains("Exception"), "no stack trace or exception names: " + body);
  }

  /** Everything stored (files with their size and time, or each table's rows). */
  Map<String, String> snapshot() throws Exception {
    return store().snapshot();
  }

  /** The store this scenario runs with: the files; {@link PgAccessScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }
}
