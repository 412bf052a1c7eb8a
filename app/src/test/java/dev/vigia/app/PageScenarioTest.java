package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.dashboard.qr.QrSvg;
import dev.vigia.dashboard.web.PageRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * The page's files over real HTTP: the right content types, the CSP and the other page headers
 * on every one, the old address, and the QR picture only for people of its org (never a key).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PageScenarioTest {

  @TempDir Path data;
  Vigia vigia;
  ApiClient admin;
  ApiClient anonymous;

  @BeforeEach
  void start(Vertx vertx) {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, store()), Clock.systemUTC()));
    admin = new ApiClient(vertx, vigia.httpPort());
    anonymous = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    for (String org : new String[] {"2", "3"}) {
      assertEquals(201, admin.post("/api/orgs",
          new JsonObject().put("id", org).put("name", "Org " + org)).statusCode());
    }
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void everyPageFileHasItsTypeAndThePageHeaders() {
    Map<String, String> types = Map.of(
        "/", "text/html",
        "/index.html", "text/html",
        "/app.js", "text/javascript",
        "/js/views/org.js", "text/javascript",
        "/i18n.json", "application/json",
        "/favicon.svg", "image/svg+xml",
        "/styles.css", "text/css",
        "/dashboard/whatsapp-baileys/", "text/html",
        "/dashboard/whatsapp-baileys", "text/html");
    String index = anonymous.get("/").bodyAsString();
    types.forEach((path, type) -> {
      HttpResponse<Buffer> r = anonymous.get(path);
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.getHeader("Content-Type").startsWith(type), path + ": " + r.getHeader("Content-Type"));
      assertEquals(PageRoutes.CONTENT_SECURITY_POLICY, r.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"), path);
      assertEquals("DENY", r.getHeader("X-Frame-Options"), path);
      // no hash in the file names: the browser asks again each time, so a release shows at once
      assertTrue(r.getHeader("Cache-Control").startsWith("no-"), path + ": " + r.getHeader("Cache-Control"));
      if (type.equals("text/html")) {
        assertEquals(index, r.bodyAsString(), path + " is the same page");
      }
    });
    assertTrue(index.contains("<script type=\"module\" src=\"/app.js\">"));
    assertTrue(PageRoutes.CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
  }

  @Test
  void aMissingFileIsA404AndTheApiIsNeverAFile() {
    HttpResponse<Buffer> missing = anonymous.get("/nothing-here.js");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", missing.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> api = anonymous.get("/api/sessions");
    assertEquals(401, api.statusCode(), "the API stays behind the login");
    assertEquals(400, anonymous.get("/js/%2e%2e/app.js").statusCode(), "no way out of webroot");
  }

  @Test
  void theQrPictureIsForPeopleOfItsOrgOnly(Vertx vertx) throws Exception {
    assertEquals(401, anonymous.get("/api/sessions/2/qr.svg").statusCode());
    HttpResponse<Buffer> none = admin.get("/api/sessions/2/qr.svg");
    assertEquals(404, none.statusCode(), "no QR before connecting");
    assertEquals("no_qr", none.bodyAsJsonObject().getString("code"));

    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state"))
        && s.getJsonObject("qr") != null, 10);
    String payload = admin.json(admin.get("/api/sessions/2/qr")).getString("payload");
    HttpResponse<Buffer> svg = admin.get("/api/sessions/2/qr.svg");
    assertEquals(200, svg.statusCode());
    assertTrue(svg.getHeader("Content-Type").startsWith("image/svg+xml"));
    assertEquals("no-store", svg.getHeader("Cache-Control"));
    assertEquals(QrSvg.render(payload), svg.bodyAsString(), "the pending QR, drawn");
    assertFalse(svg.bodyAsString().contains(payload), "the payload is not in the SVG's text");

    assertEquals(201, admin.post("/api/users", new JsonObject().put("username", "luis")
        .put("password", "operator-of-three").put("role", "operator")
        .put("orgs", new JsonArray().add("3"))).statusCode());
    ApiClient operator3 = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, operator3.login("luis", "operator-of-three").statusCode());
    assertEquals(403, operator3.get("/api/sessions/2/qr.svg").statusCode(), "another org's QR");
    assertEquals(404, operator3.get("/api/sessions/3/qr.svg").statusCode(), "its own: none pending");

    String key = admin.json(admin.post("/api/orgs/2/api-keys", new JsonObject())).getString("key");
    ApiClient machine = new ApiClient(vertx, vigia.httpPort()).withApiKey(key);
    assertEquals(200, machine.get("/api/sessions/2").statusCode(), "the key works");
    assertEquals(403, machine.get("/api/sessions/2/qr.svg").statusCode(), "a key never sees a QR");
    assertEquals(400, admin.get("/api/sessions/bad%20org/qr.svg").statusCode());
  }

  /** The store this scenario runs with: the files; {@link PgPageScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }
}
