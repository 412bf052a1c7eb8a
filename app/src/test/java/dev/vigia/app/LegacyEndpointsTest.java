package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "Done when" 2, the old endpoints of DESIGN §5 over real HTTP against the real gateway
 * and file store: the Django page's clear with {@code X-CSRFToken} and the Node server's
 * {@code /api/clear-session} with a key answer the old JSON byte for byte, the linked creds end up
 * in the archive, and a key of org 4 cannot clear org 2.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class LegacyEndpointsTest {

  static final String OLD_ANSWER = "{\"success\":true,\"message\":\"Sesión limpiada correctamente\"}";

  @TempDir Path data;
  Vigia vigia;
  ApiClient admin;
  WebClient raw;

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
    raw = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(vigia.httpPort()));
  }

  @AfterEach
  void stop() {
    vigia.stopAndWait();
  }

  @Test
  void theOldPagesClearTakesXCsrfTokenAndArchivesTheCreds(Vertx vertx) throws Exception {
    assertEquals(201, admin.post("/api/users", new JsonObject().put("username", "recepcion")
        .put("password", "clinic-of-two").put("role", "operator")
        .put("orgs", new JsonArray().add("2"))).statusCode());
    link("2");

    // the old page: its session cookie and the CSRF token as X-CSRFToken, no body, no org named
    HttpResponse<Buffer> login = ApiClient.await(raw.post("/auth/login").sendJsonObject(
        new JsonObject().put("username", "recepcion").put("password", "clinic-of-two")));
    assertEquals(200, login.statusCode());
    String cookies = cookieHeader(login);
    String token = cookieValue(login, "XSRF-TOKEN");

    HttpResponse<Buffer> withoutToken = ApiClient.await(raw.post("/dashboard/whatsapp-baileys/clear/")
        .putHeader("Cookie", cookies).send());
    assertEquals(403, withoutToken.statusCode(), "no token, no clear");
    assertNotNull(store().creds(vigia, "2"), "a refusal clears nothing");

    HttpResponse<Buffer> cleared = ApiClient.await(raw.post("/dashboard/whatsapp-baileys/clear/")
        .putHeader("Cookie", cookies).putHeader("X-CSRFToken", token).send());
    assertEquals(200, cleared.statusCode(), cleared.bodyAsString());
    assertEquals(OLD_ANSWER, cleared.bodyAsString());
    assertClearedToTheArchive("2", 1);
  }

  @Test
  void theOldServersClearTakesAKeyOfTheOrgWithANumberOrAStringId() throws Exception {
    String key2 = apiKey("2");
    String key4 = apiKey("4");

    link("2");
    HttpResponse<Buffer> byNumber = clearSession(key2, 2);
    assertEquals(200, byNumber.statusCode(), byNumber.bodyAsString());
    assertEquals(OLD_ANSWER, byNumber.bodyAsString());
    assertClearedToTheArchive("2", 1);

    link("2");
    HttpResponse<Buffer> foreign = clearSession(key4, 2);
    assertEquals(403, foreign.statusCode(), "a key of org 4 never clears org 2");
    assertFalse(foreign.bodyAsString().contains("success"));
    assertNotNull(store().creds(vigia, "2"), "org 2 is untouched");
    assertEquals("CONNECTED", admin.json(admin.get("/api/sessions/2")).getString("state"));
    assertEquals(403, clearSession(key4, "2").statusCode());

    HttpResponse<Buffer> byString = clearSession(key2, "2");
    assertEquals(200, byString.statusCode(), byString.bodyAsString());
    assertEquals(OLD_ANSWER, byString.bodyAsString());
    assertClearedToTheArchive("2", 2);
  }

  // ---- helpers ----

  /** Connect, scan with the simulated phone, wait for CONNECTED and the creds on disk. */
  private void link(String org) throws Exception {
    assertEquals(202, admin.post("/api/sessions/" + org + "/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/" + org, s -> "QR_REQUIRED".equals(s.getString("state")), 10);
    assertEquals(202, admin.post("/api/sim/sessions/" + org + "/scan", new JsonObject()).statusCode());
    admin.await("/api/sessions/" + org, s -> "CONNECTED".equals(s.getString("state")), 10);
    assertNotNull(store().creds(vigia, org));
  }

  private void assertClearedToTheArchive(String org, int archivedCreds) throws Exception {
    admin.await("/api/sessions/" + org, s -> "STOPPED".equals(s.getString("state")), 10);
    assertNull(store().creds(vigia, org), "no live creds after the clear");
    assertEquals(archivedCreds, store().archivedCreds(org),
        "the archive holds every cleared creds");
  }

  /** The store this scenario runs with: the files; {@link PgLegacyEndpointsTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  private String apiKey(String org) {
    HttpResponse<Buffer> r = admin.post("/api/orgs/" + org + "/api-keys",
        new JsonObject().put("label", "old server of " + org));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("key");
  }

  /** As the Node server's callers sent it: a key, JSON {@code {"organization_id": …}}. */
  private HttpResponse<Buffer> clearSession(String key, Object organizationId) {
    HttpRequest<Buffer> req = raw.request(HttpMethod.POST, "/api/clear-session")
        .putHeader("X-Api-Key", key);
    return ApiClient.await(req.sendJsonObject(new JsonObject().put("organization_id", organizationId)));
  }

  private static String cookieHeader(HttpResponse<Buffer> r) {
    return String.join("; ", r.cookies().stream().map(c -> c.split(";", 2)[0]).toList());
  }

  private static String cookieValue(HttpResponse<Buffer> r, String name) {
    for (String c : r.cookies()) {
      if (c.startsWith(name + "=")) {
        return c.substring(name.length() + 1).split(";", 2)[0];
      }
    }
    throw new AssertionError("no " + name + " cookie in " + r.cookies());
  }
}
