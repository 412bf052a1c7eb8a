package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.AdminTokens;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's API for the command line and the page: admin tokens (made once, stored hashed, never
 * in a URL, dead with their admin's password or role, revocable with their streams), the
 * Operations status for admins only, and one org's log for its people (journal and server lines,
 * followed live), never for another org's people nor for API keys.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunbookApiTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private DashboardFixture fixture;
  private ApiClient api;
  private HttpClient http;
  private Path dataDir;

  @BeforeAll
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    this.dataDir = dataDir;
    fixture = new DashboardFixture(vertx, dataDir, Duration.ofMillis(200));
    api = fixture.api;
    http = vertx.createHttpClient();
  }

  @AfterAll
  void close() {
    api.close();
    await(http.close());
  }

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }

  private Reply withToken(HttpMethod method, String path, String token, Object body) {
    return api.send(method, path, Login.NONE, body, bearer(token));
  }

  private JsonObject newToken(Login admin, String label) {
    Reply made = api.post("/api/tokens", admin, new JsonObject().put("label", label));
    assertEquals(201, made.status(), made.body());
    return made.json();
  }

  @Test
  void anAdminTokenIsShownOnceStoredHashedAndActsAsItsAdminWithoutACookie() throws Exception {
    JsonObject made = newToken(fixture.admin, "laptop");
    String token = made.getString("token");
    assertTrue(token.startsWith(AdminTokens.PREFIX), token);
    assertEquals("admin", made.getString("username"));

    Reply list = api.get("/api/tokens", fixture.admin);
    assertEquals(200, list.status());
    assertTrue(list.body().contains(made.getString("id")) && list.body().contains("laptop"));
    assertFalse(list.body().contains(token), "the list never shows the token");
    assertFalse(list.body().contains(AdminTokens.hash(token)), "nor its hash");
    String stored = Files.readString(dataDir.resolve("accounts/tokens.json"));
    assertFalse(stored.contains(token), "only the hash is stored");
    assertTrue(stored.contains(AdminTokens.hash(token)));

    Reply status = withToken(HttpMethod.GET, "/api/ops/status", token, null);
    assertEquals(200, status.status(), status.body());
    assertEquals("server", status.json().getString("source"));
    // a change without a cookie needs no XSRF header: a browser cannot send this header cross-site
    Reply org = withToken(HttpMethod.POST, "/api/orgs", token,
        new JsonObject().put("id", "tok-org").put("name", "Made with a token"));
    assertEquals(201, org.status(), org.body());
  }

  @Test
  void aTokenNeverTravelsInAUrlAndOnlyAdminsMakeOrUseThem() {
    String token = newToken(fixture.admin, "url").getString("token");
    Reply inUrl = api.get("/api/ops/status?token=" + token, Login.NONE);
    assertEquals(400, inUrl.status());
    assertEquals("credential_in_url", inUrl.json().getString("code"));
    assertEquals(400, api.get("/api/ops/status?access_token=" + token, Login.NONE).status());

    assertEquals(403, api.post("/api/tokens", fixture.operator, new JsonObject()).status());
    assertEquals(403, api.get("/api/ops/status", fixture.operator).status());
    assertEquals(403, api.get("/api/ops/doctor", fixture.operator).status());
    assertEquals(403, api.post("/api/ops/engine/restart", fixture.operator, new JsonObject())
        .status(), "only an admin restarts the engine");
    assertEquals(401, withToken(HttpMethod.GET, "/api/ops/status", "vgt_guessed", null).status());
    assertEquals(401, api.get("/api/ops/status", Login.NONE).status());
  }

  @Test
  void aTokenDiesWithItsAdminsPasswordOrRoleAndWhenRevokedItsStreamEnds() throws Exception {
    Reply made = api.post("/api/users", fixture.admin, new JsonObject().put("username", "luis")
        .put("password", "luis-password-1").put("role", "admin"));
    assertEquals(201, made.status(), made.body());
    Login luis = api.login("luis", "luis-password-1");
    String byPassword = newToken(luis, "one").getString("token");
    String byRole = newToken(luis, "two").getString("token");
    JsonObject revocable = newToken(luis, "three");
    String revoked = revocable.getString("token");
    for (String t : new String[] {byPassword, byRole, revoked}) {
      assertEquals(200, withToken(HttpMethod.GET, "/api/ops/status", t, null).status());
    }

    AtomicBoolean ended = new AtomicBoolean();
    HttpClientResponse stream = await(http.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(fixture.port).setURI("/api/stream")
            .addHeader("Authorization", "Bearer " + revoked))
        .compose(req -> req.send()).onSuccess(r -> r.endHandler(v -> ended.set(true))));
    assertEquals(200, stream.statusCode());
    Reply gone = api.send(HttpMethod.DELETE, "/api/tokens/" + revocable.getString("id"),
        fixture.admin, null, null);
    assertEquals(204, gone.status(), gone.body());
    assertEquals(401, withToken(HttpMethod.GET, "/api/ops/status", revoked, null).status());
    eventually(ended::get, "the revoked token's stream ends");

    Reply patched = api.send(HttpMethod.PATCH, "/api/users/luis", fixture.admin,
        new JsonObject().put("password", "luis-password-2"), null);
    assertEquals(200, patched.status(), patched.body());
    assertEquals(401, withToken(HttpMethod.GET, "/api/ops/status", byPassword, null).status(),
        "a password change ends the tokens made with the old one");
    String afterChange = newToken(api.login("luis", "luis-password-2"), "four").getString("token");
    assertEquals(200, withToken(HttpMethod.GET, "/api/ops/status", afterChange, null).status());
    assertEquals(200, api.send(HttpMethod.PATCH, "/api/users/luis", fixture.admin,
        new JsonObject().put("role", "operator").put("orgs", new io.vertx.core.json.JsonArray()
            .add("4")), null).status());
    assertEquals(401, withToken(HttpMethod.GET, "/api/orgs", afterChange, null).status(),
        "a demoted admin's token is refused");
    assertEquals(400, api.send(HttpMethod.DELETE, "/api/tokens/not-a-token", fixture.admin, null,
        null).status());
  }

  @Test
  void theStatusListsEveryOrgAndSaysTheMonitorIsMissing() {
    assertEquals(202, api.post("/api/sessions/2/connect", fixture.admin, new JsonObject()).status());
    assertEquals(201, api.post("/api/orgs", fixture.admin, new JsonObject().put("id", "9")
        .put("name", "Never linked")).status());
    JsonObject status = api.get("/api/ops/status", fixture.admin).json();
    assertEquals("UP", status.getJsonObject("engine").getString("status"));
    assertEquals("simulated", status.getJsonObject("engine").getString("name"));
    assertEquals("file", status.getJsonObject("store").getString("name"));
    // no monitor in this test: the disk and the network cannot be known
    assertEquals("UNKNOWN", status.getJsonObject("disk").getString("status"));
    var sessions = status.getJsonArray("sessions");
    JsonObject two = sessions.getJsonObject(0);
    assertEquals("2", two.getString("org"));
    assertEquals("QR_REQUIRED", two.getString("state"));
    assertEquals("CompuEasys", two.getString("name"));
    assertFalse(two.containsKey("qr"), "the status never carries a QR");
    assertTrue(sessions.stream().anyMatch(s -> "9".equals(((JsonObject) s).getString("org"))
        && "STOPPED".equals(((JsonObject) s).getString("state"))),
        "an org never linked is listed, STOPPED: " + sessions.encode());
    JsonObject doctor = api.get("/api/ops/doctor", fixture.admin).json();
    assertTrue(doctor.getJsonArray("problems").stream().anyMatch(p ->
        "session_waiting_scan".equals(((JsonObject) p).getString("code"))), doctor.encode());
  }

  @Test
  void anOrgsPeopleReadItsLogAndFollowItLiveButNoOneElseDoes(Vertx vertx) throws Exception {
    fixture.orgLines.append("4", new JsonObject().put("level", "INFO")
        .put("formattedMessage", "STOPPED -> STARTING").put("mdc", new JsonObject().put("org", "4"))
        .encode());
    fixture.orgLines.append("2", new JsonObject().put("formattedMessage", "about org 2").encode());
    assertEquals(202, api.post("/api/sessions/4/connect", fixture.operator, new JsonObject())
        .status());

    Reply log = api.get("/api/sessions/4/logs?lines=5", fixture.operator);
    assertEquals(200, log.status(), log.body());
    assertTrue(log.json().getJsonArray("log").encode().contains("STOPPED -> STARTING"));
    assertFalse(log.body().contains("about org 2"));
    assertTrue(log.json().getJsonArray("journal").encode().contains("QR_REQUIRED"));

    assertEquals(403, api.get("/api/sessions/2/logs", fixture.operator).status());
    String key = api.post("/api/orgs/4/api-keys", fixture.admin, new JsonObject()).json()
        .getString("key");
    assertEquals(403, api.get("/api/sessions/4/logs", Login.key(key)).status(),
        "machines get the session API, not the server's log");
    assertEquals(400, api.get("/api/sessions/4/logs?lines=0", fixture.operator).status());

    StringBuffer seen = new StringBuffer();
    await(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(fixture.port).setURI("/api/sessions/4/logs/stream")
            .addHeader("Cookie", "vigia_session=" + fixture.operator.sessionCookie()))
        .compose(req -> req.send()).onSuccess(r -> r.handler(b -> seen.append(b.toString()))));
    eventually(() -> seen.toString().contains(": following"), "the stream is open");
    fixture.orgLines.append("4", new JsonObject().put("formattedMessage", "a new line").encode());
    fixture.orgLines.append("2", new JsonObject().put("formattedMessage", "not org 4").encode());
    vertx.eventBus().publish(JournalEntry.addressFor("4"), Json.toJson(new JournalEntry("4",
        Instant.now(), JournalEntry.OPERATION, null, null, null, "Session cleared by user:admin",
        "user:admin")));
    eventually(() -> seen.toString().contains("event: log\ndata: {\"formattedMessage\":\"a new line\"}"),
        "the new server line arrives");
    eventually(() -> seen.toString().contains("event: journal") && seen.toString()
        .contains("Session cleared by user:admin"), "the new journal line arrives");
    assertFalse(seen.toString().contains("not org 4"));
    assertEquals(SessionState.QR_REQUIRED, fixture.gateway.session("4").state());
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // the test thread, never an event loop
    }
  }
}
