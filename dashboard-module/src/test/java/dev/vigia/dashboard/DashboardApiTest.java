package dev.vigia.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over real HTTP on 127.0.0.1, against a fake gateway and journal on the bus. One
 * deployment for the class: password hashing is slow on purpose, so logins are few.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardApiTest {

  private static final String ADMIN_PASSWORD = DashboardFixture.ADMIN_PASSWORD;
  private static final String OPERATOR_PASSWORD = DashboardFixture.OPERATOR_PASSWORD;
  private static final String CLEARED = "{\"success\":true,\"message\":\"Sesión limpiada correctamente\"}";

  private FakeGateway gateway;
  private ApiClient api;
  private Login admin;
  private Login operator;
  private String key4;
  private String key2;
  private Path accountsFile;

  @BeforeAll
  void deployWithTwoOrgsAnOperatorAndKeys(Vertx vertx, @TempDir Path dataDir) {
    DashboardFixture fixture = new DashboardFixture(vertx, dataDir, null);
    gateway = fixture.gateway;
    accountsFile = fixture.accounts.file();
    api = fixture.api;
    admin = fixture.admin;
    operator = fixture.operator;
    key4 = api.post("/api/orgs/4/api-keys", admin, new JsonObject().put("label", "crm")).json()
        .getString("key");
    key2 = api.post("/api/orgs/2/api-keys", admin, null).json().getString("key");
  }

  @AfterAll
  void closeClient() {
    api.close();
  }

  @Test
  void loginSetsAStrictHttpOnlySessionCookieAndAReadableXsrfCookie() {
    Reply r = api.post("/auth/login", Login.NONE,
        new JsonObject().put("username", "ana").put("password", OPERATOR_PASSWORD));
    assertEquals(200, r.status());
    assertEquals(new JsonObject().put("username", "ana").put("role", "operator")
        .put("orgs", new JsonArray().add("4")), r.json());
    String session = ApiClient.setCookieHeader(r, "vigia_session");
    assertTrue(session.toLowerCase().contains("httponly"), session);
    assertTrue(session.contains("SameSite=Strict"), session);
    assertFalse(session.contains("Secure"), "plain HTTP: " + session);
    String xsrf = ApiClient.setCookieHeader(r, "XSRF-TOKEN");
    assertFalse(xsrf.toLowerCase().contains("httponly"), xsrf);
    assertEquals("no-store", r.headers().get("Cache-Control"));
  }

  @Test
  void loginBehindATlsProxyMarksCookiesSecure() {
    Reply r = api.send(HttpMethod.POST, "/auth/login", Login.NONE,
        new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD),
        MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-Proto", "https"));
    assertEquals(200, r.status());
    assertTrue(ApiClient.setCookieHeader(r, "vigia_session").contains("Secure"));
    assertTrue(ApiClient.setCookieHeader(r, "XSRF-TOKEN").contains("Secure"));
  }

  @Test
  void wrongPasswordIs401WithAGenericMessage() {
    Reply wrong = api.post("/auth/login", Login.NONE,
        new JsonObject().put("username", "admin").put("password", "not-the-password"));
    assertEquals(401, wrong.status());
    assertEquals("bad_credentials", wrong.json().getString("code"));
    assertTrue(wrong.cookies().isEmpty());
    Reply nobody = api.post("/auth/login", Login.NONE,
        new JsonObject().put("username", "nobody").put("password", "whatever1"));
    assertEquals(401, nobody.status());
    assertEquals(wrong.json(), nobody.json(), "an unknown user looks the same as a wrong password");
  }

  @Test
  void sixthFailedLoginWithinFiveMinutesIs429() {
    JsonObject guess = new JsonObject().put("username", "mallory").put("password", "guess-123");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, api.post("/auth/login", Login.NONE, guess).status());
    }
    Reply throttled = api.post("/auth/login", Login.NONE, guess);
    assertEquals(429, throttled.status());
    assertEquals("throttled", throttled.json().getString("code"));
    assertNotNull(throttled.headers().get("Retry-After"));
  }

  @Test
  void meSaysWhoIsLoggedIn() {
    Reply me = api.get("/api/me", admin);
    assertEquals(200, me.status());
    assertEquals("admin", me.json().getString("username"));
    assertEquals("admin", me.json().getString("role"));
    assertEquals(401, api.get("/api/me", Login.NONE).status());
  }

  @Test
  void withoutACookieOrKeyEverythingIs401BeforeAnyRoleCheck() {
    for (String path : List.of("/api/me", "/api/sessions", "/api/sessions/2", "/api/orgs",
        "/api/users", "/api/sessions/2/qr", "/api/sessions/2/events")) {
      Reply r = api.get(path, Login.NONE);
      assertEquals(401, r.status(), path);
      assertEquals("unauthenticated", r.json().getString("code"), path);
    }
    assertEquals(401, api.post("/api/sessions/2/clear", Login.NONE, null).status());
    assertEquals(401, api.post("/api/orgs", Login.NONE, new JsonObject().put("id", "9")).status());
    assertEquals(401, api.get("/api/sessions", new Login("forged-session", null, null)).status());
    assertEquals(401, api.get("/api/sessions", Login.key("vgk_forged")).status());
  }

  @Test
  void sessionAnswersCarryTheOrgsNameSoThePageCanTitleIt() {
    JsonObject four = api.get("/api/sessions/4", operator).json();
    assertEquals("Océano Óptico", four.getString("name"), four.encode());
    JsonArray listed = api.get("/api/sessions", operator).json().getJsonArray("sessions");
    assertEquals(1, listed.size(), "the operator's own org only");
    assertEquals("Océano Óptico", listed.getJsonObject(0).getString("name"));
    // the list writes each view's own fields beside the name, as the org's answer does
    JsonObject listedFour = listed.getJsonObject(0).copy();
    four.remove("qr"); // secrets stay out of lists
    four.remove("pairingCode");
    assertEquals(four, listedFour, "one org's answer and its line in the list");
    JsonObject viaKey = api.get("/api/sessions/4", Login.key(key4)).json();
    assertEquals("Océano Óptico", viaKey.getString("name"));
  }

  @Test
  void operatorGets403OnEverythingOfAnotherOrgAndNothingReachesTheBus() {
    int before = gateway.seen().size();
    for (String path : List.of("/api/sessions/2", "/api/sessions/2/qr", "/api/sessions/2/events",
        "/api/orgs/2", "/api/orgs", "/api/users")) {
      Reply r = api.get(path, operator);
      assertEquals(403, r.status(), path);
      assertEquals("forbidden", r.json().getString("code"), path);
    }
    for (String path : List.of("/api/sessions/2/connect", "/api/sessions/2/disconnect",
        "/api/sessions/2/logout", "/api/sessions/2/clear", "/api/orgs/2/api-keys",
        "/api/sim/sessions/2/scan", "/dashboard/whatsapp-baileys/clear/?org=2")) {
      assertEquals(403, api.post(path, operator, new JsonObject()).status(), path);
    }
    assertEquals(403, api.post("/api/clear-session", operator,
        new JsonObject().put("organization_id", 2)).status());
    assertEquals(403, api.send(HttpMethod.DELETE, "/api/orgs/2", operator, null, null).status());
    assertEquals(before, gateway.seen().size(), "nothing of org 2 may reach the bus");
  }

  @Test
  void operatorListsOnlyItsOwnOrgsAndAnOrgWithoutASessionIsStopped() {
    Reply r = api.get("/api/sessions", operator);
    assertEquals(200, r.status());
    JsonArray sessions = r.json().getJsonArray("sessions");
    assertEquals(1, sessions.size(), r.body());
    assertEquals("4", sessions.getJsonObject(0).getString("org"));
    Reply all = api.get("/api/sessions", admin);
    List<String> orgs = all.json().getJsonArray("sessions").stream()
        .map(o -> ((JsonObject) o).getString("org")).toList();
    assertTrue(orgs.containsAll(List.of("2", "4")), all.body());
  }

  @Test
  void aStateChangeWithoutTheXsrfHeaderIs403() {
    Reply missing = api.post("/api/sessions/4/disconnect", operator.withoutXsrf(), null);
    assertEquals(403, missing.status());
    assertEquals("csrf", missing.json().getString("code"));
    Reply wrong = api.post("/api/sessions/4/disconnect",
        new Login(operator.sessionCookie(), "not-the-token", null), null);
    assertEquals(403, wrong.status());
    assertEquals("csrf", wrong.json().getString("code"));
    assertEquals(403, api.post("/auth/logout", operator.withoutXsrf(), null).status());
    assertEquals(403, api.post("/api/sessions/4/disconnect",
        new Login(admin.sessionCookie(), operator.xsrfToken(), null), null).status(),
        "a token belongs to its own session");
    assertEquals(403, api.send(HttpMethod.DELETE, "/api/orgs/4", admin.withoutXsrf(), null, null)
        .status());
    assertEquals(403, api.send(HttpMethod.PATCH, "/api/orgs/4", admin.withoutXsrf(),
        new JsonObject().put("name", "x"), null).status());
    assertEquals(200, api.get("/api/sessions/4", operator.withoutXsrf()).status(),
        "reads need no token");
  }

  @Test
  void badOrgIdsAre400AndNeverReachTheBus() {
    int before = gateway.seen().size();
    String longId = "a".repeat(65);
    for (String path : List.of("/api/sessions/../x", "/api/sessions/%2e%2e",
        "/api/sessions/%2e%2e/clear", "/api/sessions/%2E%2E/connect", "/api/sessions/..%2Fx/clear",
        "/api/sessions/" + longId, "/api/sessions/" + longId + "/connect",
        "/api/sessions/a%20b/clear", "/api/orgs/" + longId, "/api/sim/sessions/../2/scan")) {
      Reply r = api.post(path, admin, new JsonObject());
      assertEquals(400, r.status(), path + " " + r.body());
      assertNotNull(r.json().getString("error"), path);
      assertNotNull(r.json().getString("code"), path);
      Reply get = api.get(path, admin);
      assertTrue(get.status() == 400 || get.status() == 404, path + " GET " + get.status());
    }
    assertEquals(400, api.post("/api/orgs", admin, new JsonObject().put("id", "../x")).status());
    assertEquals(400, api.post("/api/clear-session", Login.key(key4),
        new JsonObject().put("organization_id", "../4")).status());
    assertEquals(400, api.post("/dashboard/whatsapp-baileys/clear/?org=%2e%2e", admin, null).status());
    assertEquals(before, gateway.seen().size(), "bad ids must not reach the bus");
  }

  @Test
  void malformedOrMistypedBodiesAre400WithErrorAndCode() {
    Reply broken = api.post("/api/sessions/4/connect", admin, Buffer.buffer("{\"method\": "));
    assertEquals(400, broken.status());
    assertEquals("malformed_json", broken.json().getString("code"));
    assertNotNull(broken.json().getString("error"));
    Reply array = api.post("/api/orgs", admin, Buffer.buffer("[1,2]"));
    assertEquals(400, array.status());
    assertEquals("malformed_json", array.json().getString("code"));
    Reply mistyped = api.post("/api/sessions/4/connect", admin,
        new JsonObject().put("takeover", "yes"));
    assertEquals(400, mistyped.status());
    assertEquals("invalid_field", mistyped.json().getString("code"));
    assertTrue(mistyped.json().getString("error").contains("takeover"));
    Reply login = api.post("/auth/login", Login.NONE, new JsonObject().put("username", 7));
    assertEquals(400, login.status());
    assertTrue(login.json().getString("error").contains("username"));
  }

  @Test
  void aBodyOver64KibIs413() {
    String big = new JsonObject().put("name", "x".repeat(70 * 1024)).encode();
    Reply r = api.post("/api/orgs", admin, Buffer.buffer(big));
    assertEquals(413, r.status());
    assertEquals("too_large", r.json().getString("code"));
  }

  @Test
  void linkScanJournalAndClearAnswerTheOldJson() {
    assertEquals(201, api.post("/api/orgs", admin, new JsonObject().put("id", "link")).status());
    Reply connect = api.post("/api/sessions/link/connect", admin, new JsonObject().put("method", "qr"));
    assertEquals(202, connect.status(), connect.body());
    assertEquals("QR_REQUIRED", connect.json().getString("state"));

    Reply qr = api.get("/api/sessions/link/qr", admin);
    assertEquals(200, qr.status());
    assertTrue(qr.json().getString("payload").startsWith("2@"));
    assertNotNull(qr.json().getString("expiresAt"));
    JsonObject listed = api.get("/api/sessions", admin).json().getJsonArray("sessions").stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("org").equals("link")).findFirst()
        .orElseThrow();
    assertEquals("QR_REQUIRED", listed.getString("state"));
    assertNull(listed.getValue("qr"), "lists never carry the QR");

    Reply scan = api.post("/api/sim/sessions/link/scan", admin, null);
    assertEquals(202, scan.status(), scan.body());
    assertEquals("CONNECTED", api.get("/api/sessions/link", admin).json().getString("state"));
    JsonArray events = api.get("/api/sessions/link/events?limit=10", admin).json()
        .getJsonArray("entries");
    assertEquals("CONNECTED", events.getJsonObject(0).getString("to"), "newest first");
    assertTrue(events.encode().contains("515"), events.encode());
    assertEquals(1, api.get("/api/sessions/link/events?limit=1", admin).json()
        .getJsonArray("entries").size());

    Reply clear = api.post("/api/sessions/link/clear", admin, null);
    assertEquals(200, clear.status());
    assertEquals(new JsonObject(CLEARED), clear.json());
    assertEquals("STOPPED", gateway.session("link").state().name());
    Reply noQr = api.get("/api/sessions/link/qr", admin);
    assertEquals(404, noQr.status());
    assertNotNull(noQr.json().getString("code"));
  }

  @Test
  void aFailedClearAnswersTheOldErrorWithTheGatewayStatus() {
    gateway.failNextClear = 503;
    Reply r = api.post("/api/sessions/4/clear", operator, null);
    assertEquals(503, r.status());
    assertEquals(new JsonObject().put("error", "No se pudo limpiar la sesión").put("code", "unavailable"),
        r.json());
  }

  @Test
  void gatewayFailuresKeepTheirStatus() {
    Reply unknown = api.post("/api/sessions/ghost-org/disconnect", admin, null);
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.json().getString("code"));
    Reply notCreated = api.post("/api/sessions/ghost-org/connect", admin, null);
    assertEquals(404, notCreated.status());
  }

  @Test
  void theOldDashboardEndpointTakesXCsrfTokenAndTheUsersFirstOrg() {
    MultiMap legacyHeader = MultiMap.caseInsensitiveMultiMap().add("X-CSRFToken", operator.xsrfToken());
    int before = gateway.seen().size();
    Reply r = api.send(HttpMethod.POST, "/dashboard/whatsapp-baileys/clear/", operator.withoutXsrf(),
        null, legacyHeader);
    assertEquals(200, r.status(), r.body());
    assertEquals(CLEARED, r.body());
    var clears = gateway.seen().subList(before, gateway.seen().size()).stream()
        .filter(s -> s.address().equals(GatewayAddresses.CLEAR)).toList();
    assertEquals(1, clears.size());
    assertEquals("4", clears.get(0).body().getString("org"));

    Reply form = api.send(HttpMethod.POST, "/dashboard/whatsapp-baileys/clear/",
        operator.withoutXsrf(), Buffer.buffer("organization_id=4"), MultiMap.caseInsensitiveMultiMap()
            .add("X-CSRFToken", operator.xsrfToken())
            .add("Content-Type", "application/x-www-form-urlencoded"));
    assertEquals(200, form.status(), form.body());
    Reply noToken = api.post("/dashboard/whatsapp-baileys/clear/", operator.withoutXsrf(), null);
    assertEquals(403, noToken.status());
  }

  @Test
  void theOldServerEndpointTakesAKeyAndANumberOrStringOrgId() {
    Reply number = api.post("/api/clear-session", Login.key(key4),
        new JsonObject().put("organization_id", 4));
    assertEquals(200, number.status(), number.body());
    assertEquals(new JsonObject(CLEARED), number.json());
    Reply string = api.post("/api/clear-session", Login.key(key4),
        new JsonObject().put("organization_id", "4"));
    assertEquals(200, string.status());
    Reply other = api.post("/api/clear-session", Login.key(key4),
        new JsonObject().put("organization_id", 2));
    assertEquals(403, other.status());
    Reply missing = api.post("/api/clear-session", Login.key(key4), new JsonObject());
    assertEquals(400, missing.status());
    assertTrue(missing.json().getString("error").contains("organization_id"));
  }

  @Test
  void aKeyOfOrg4CannotTouchOrg2NorSeeQrsNorAdminRoutes() {
    int before = gateway.seen().size();
    Login key = Login.key(key4);
    assertEquals(403, api.get("/api/sessions/2", key).status());
    assertEquals(403, api.post("/api/sessions/2/connect", key, null).status());
    assertEquals(403, api.post("/api/sessions/2/clear", key, null).status());
    assertEquals(403, api.get("/api/sessions/2/events", key).status());
    assertEquals(403, api.get("/api/sessions/4/qr", key).status(), "keys never see a QR");
    assertEquals(403, api.get("/api/orgs", key).status());
    assertEquals(403, api.get("/api/me", key).status());
    assertEquals(before, gateway.seen().size());
    JsonArray listed = api.get("/api/sessions", key).json().getJsonArray("sessions");
    assertEquals(1, listed.size());
    assertEquals("4", listed.getJsonObject(0).getString("org"));
    assertEquals(200, api.get("/api/sessions/2", Login.key(key2)).status());
    assertEquals(200, api.get("/api/sessions/4/events", key).status());
  }

  @Test
  void eventsLimitMustBeFrom1To1000() {
    for (String limit : List.of("0", "1001", "abc", "-5")) {
      Reply r = api.get("/api/sessions/4/events?limit=" + limit, operator);
      assertEquals(400, r.status(), limit);
      assertTrue(r.json().getString("error").contains("limit"));
    }
    assertEquals(200, api.get("/api/sessions/4/events", operator).status());
  }

  @Test
  void adminManagesOrgsAndADeleteWaitsForTheSessionToStop() {
    assertEquals(201, api.post("/api/orgs", admin, new JsonObject().put("id", "tmp")).status());
    assertEquals(409, api.post("/api/orgs", admin, new JsonObject().put("id", "tmp")).status());
    Reply patched = api.send(HttpMethod.PATCH, "/api/orgs/tmp", admin, new JsonObject()
        .put("name", "Temporal").put("webhookUrl", "https://hooks.example.com/x"), null);
    assertEquals(200, patched.status(), patched.body());
    assertEquals("Temporal", api.get("/api/orgs/tmp", admin).json().getString("name"));
    assertEquals(400, api.send(HttpMethod.PATCH, "/api/orgs/tmp", admin,
        new JsonObject().put("alertEmails", "not-a-list"), null).status());
    assertEquals(202, api.post("/api/sessions/tmp/connect", admin, null).status());
    Reply busy = api.send(HttpMethod.DELETE, "/api/orgs/tmp", admin, null, null);
    assertEquals(409, busy.status());
    assertEquals(200, api.post("/api/sessions/tmp/disconnect", admin, null).status());
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/orgs/tmp", admin, null, null).status());
    assertEquals(404, api.get("/api/orgs/tmp", admin).status());
    assertEquals(404, api.send(HttpMethod.PATCH, "/api/orgs/tmp", admin,
        new JsonObject().put("name", "gone"), null).status());
    assertEquals(404, api.send(HttpMethod.DELETE, "/api/orgs/tmp", admin, null, null).status());
  }

  @Test
  void simControlIsForAdminsOnly() {
    assertEquals(403, api.post("/api/sim/sessions/4/scan", operator, null).status());
    assertEquals(403, api.post("/api/sim/sessions/4/fault", Login.key(key4),
        new JsonObject().put("kind", "conflict")).status());
    Reply badKind = api.post("/api/sim/sessions/4/fault", admin,
        new JsonObject().put("kind", "meteor"));
    assertEquals(400, badKind.status());
    assertTrue(badKind.json().getString("error").contains("kind"));
    assertEquals(400, api.post("/api/sim/sessions/4/fault", admin,
        new JsonObject().put("kind", "bad_mac").put("count", "many")).status());
  }

  @Test
  void usersListNeverShowsPasswordHashesAndTheFileHoldsNoPassword() throws Exception {
    Reply users = api.get("/api/users", admin);
    assertEquals(200, users.status());
    assertFalse(users.body().contains("pbkdf2"), users.body());
    assertFalse(users.body().contains("passwordHash"), users.body());
    String file = Files.readString(accountsFile);
    assertFalse(file.contains(OPERATOR_PASSWORD));
    assertFalse(file.contains(ADMIN_PASSWORD));
    assertFalse(file.contains(key4), "only the key's hash is stored");
    assertTrue(file.contains("pbkdf2-sha256$210000$"), file);
    Reply badRole = api.post("/api/users", admin, new JsonObject().put("username", "bob")
        .put("password", "longenough").put("role", "root"));
    assertEquals(400, badRole.status());
    Reply unknownOrg = api.post("/api/users", admin, new JsonObject().put("username", "bob")
        .put("password", "longenough").put("role", "operator").put("orgs", new JsonArray().add("99")));
    assertEquals(400, unknownOrg.status());
    assertTrue(unknownOrg.json().getString("error").contains("orgs"));
  }

  @Test
  void apiAndAuthAnswersAreNeverCached() {
    assertEquals("no-store", api.get("/api/sessions", admin).headers().get("Cache-Control"));
    assertEquals("no-store", api.get("/api/sessions", Login.NONE).headers().get("Cache-Control"));
    assertEquals("no-store", api.get("/api/nothing-here", admin).headers().get("Cache-Control"));
  }

  @Test
  void readinessNamesTheGatewayTheStoreAndTheEngineAndIsDownWhenOneIs() {
    Reply ready = api.get("/health/ready", Login.NONE);
    assertEquals(200, ready.status());
    assertEquals("UP", ready.json().getString("status"));
    for (String check : new String[] {"gateway", "store", "engine"}) {
      assertEquals("UP", ready.json().getJsonObject("checks").getJsonObject(check)
          .getString("status"), check);
    }
    // the gateway fake is shared by the whole class: put readiness back whatever happens
    try {
      gateway.readiness = new Readiness(false, "store not ready: disk full", true, null);
      Reply down = api.get("/health/ready", Login.NONE);
      assertEquals(503, down.status());
      assertEquals("DOWN", down.json().getString("status"));
      assertEquals("not_ready", down.json().getString("code"));
      JsonObject store = down.json().getJsonObject("checks").getJsonObject("store");
      assertEquals("DOWN", store.getString("status"));
      assertEquals("store not ready: disk full", store.getString("detail"));
      assertEquals("UP", down.json().getJsonObject("checks").getJsonObject("gateway")
          .getString("status"));
      gateway.readiness = new Readiness(true, null, false, "engine simulated not ready: gone");
      assertEquals(503, api.get("/health/ready", Login.NONE).status());
      // sessions restore behind the start: ready, and saying how far it got
      gateway.readiness = new Readiness(true, null, true, null, "restoring 3/10");
      Reply restoring = api.get("/health/ready", Login.NONE);
      assertEquals(200, restoring.status());
      assertEquals("restoring 3/10", restoring.json().getJsonObject("checks")
          .getJsonObject("sessions").getString("detail"));
    } finally {
      gateway.readiness = new Readiness(true, null, true, null);
    }
  }

  @Test
  void healthPlaceholderPageAndUnknownRoutes() {
    Reply health = api.get("/health", Login.NONE);
    assertEquals(new JsonObject().put("status", "UP"), health.json());
    assertEquals(200, api.get("/health/ready", Login.NONE).status());
    Reply page = api.get("/", Login.NONE);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("Vigía"));
    assertTrue(page.body().contains("<script type=\"module\" src=\"/app.js\">"), "the real page");
    Reply missing = api.get("/api/nothing-here", admin);
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.json().getString("code"));
  }

  @Test
  void logoutEndsTheSession() {
    Login second = api.login("admin", ADMIN_PASSWORD);
    assertEquals(204, api.post("/auth/logout", second, null).status());
    assertEquals(401, api.get("/api/me", second).status());
    assertEquals(200, api.get("/api/me", admin).status(), "other sessions stay");
  }
}
