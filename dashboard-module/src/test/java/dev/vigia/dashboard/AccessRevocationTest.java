package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.ApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 * Taking access away, over real HTTP on 127.0.0.1: a revoked key and a deleted or changed user
 * are refused on their very next request, and the live streams they opened are closed. Only an
 * admin may do it, with the XSRF token, and never to the last admin.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccessRevocationTest {

  private static final String PASSWORD = DashboardFixture.OPERATOR_PASSWORD;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ApiClient api;
  private HttpClient http;
  private WebSocketClient sockets;
  private int port;
  private Login admin;
  private Login operator;
  private String key4;

  @BeforeAll
  void deployWithTwoOrgsAnOperatorAndAKey(Vertx vertx, @TempDir Path dataDir) {
    DashboardFixture fixture = new DashboardFixture(vertx, dataDir, Duration.ofMillis(200));
    port = fixture.port;
    api = fixture.api;
    http = vertx.createHttpClient();
    sockets = vertx.createWebSocketClient();
    admin = fixture.admin;
    operator = fixture.operator;
    key4 = newKey("4", "crm");
  }

  @AfterAll
  void close() {
    api.close();
    await(http.close());
    await(sockets.close());
  }

  @Test
  void aRevokedKeyIsRefusedOnItsNextRequestAndItsOpenStreamsEnd() {
    String leaked = newKey("4", "leaked");
    Login key = Login.key(leaked);
    assertEquals(200, api.get("/api/sessions/4", key).status());
    Sse stream = Sse.open(http, port, key);
    assertEquals(200, stream.response.statusCode());
    AtomicBoolean socketClosed = openBridge(new WebSocketConnectOptions()
        .addHeader("X-Api-Key", leaked));
    eventually(() -> stream.text().contains(": heartbeat"), "the stream is live");
    assertFalse(socketClosed.get());

    Reply revoked = api.send(HttpMethod.DELETE, "/api/orgs/4/api-keys/" + idOf("4", "leaked"),
        admin, null, null);
    assertEquals(204, revoked.status(), revoked.body());

    Reply refused = api.get("/api/sessions/4", key);
    assertEquals(401, refused.status());
    assertEquals("unauthenticated", refused.json().getString("code"));
    eventually(stream.ended::get, "the key's SSE stream ends");
    eventually(socketClosed::get, "the key's bridge socket is closed");
    assertEquals(401, api.get("/api/stream", key).status(), "nor can it open a new stream");
    assertEquals(200, api.get("/api/sessions/4", Login.key(key4)).status(), "other keys still work");
    assertFalse(api.get("/api/orgs/4/api-keys", admin).body().contains("leaked"));
  }

  @Test
  void loggingOutEndsThatLoginsStreamsAndBridgeSocketsAndNoOtherLogins() {
    createOperator("dora", "4");
    Login leaving = api.login("dora", PASSWORD);
    Login staying = api.login("dora", PASSWORD);
    Sse stream = Sse.open(http, port, leaving);
    Sse other = Sse.open(http, port, staying);
    AtomicBoolean cookieSocket = openBridge(new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + leaving.sessionCookie()));
    Reply ticket = api.post("/api/eventbus/ticket", leaving, null);
    assertEquals(201, ticket.status(), ticket.body());
    AtomicBoolean ticketSocket = openBridge(new WebSocketConnectOptions()
        .setURI("/eventbus/websocket?ticket=" + ticket.json().getString("ticket")));
    eventually(() -> stream.text().contains(": heartbeat"), "the stream is live");

    assertEquals(204, api.post("/auth/logout", leaving, null).status());

    eventually(stream.ended::get, "the logged-out login's SSE stream ends");
    eventually(cookieSocket::get, "its cookie bridge socket is closed");
    eventually(ticketSocket::get, "its ticket bridge socket is closed");
    assertFalse(other.ended.get(), "another login of the same user keeps its stream");
    assertEquals(200, api.get("/api/me", staying).status());
    other.response.request().connection().close();
  }

  @Test
  void deletingAnOrgEndsTheStreamsOfItsKeysButNotOfOtherOrgs() {
    assertEquals(201, api.post("/api/orgs", admin, new JsonObject().put("id", "tmp")).status());
    Login tmpKey = Login.key(newKey("tmp", "tmp"));
    Sse doomed = Sse.open(http, port, tmpKey);
    Sse other = Sse.open(http, port, Login.key(key4));
    eventually(() -> doomed.text().contains(": heartbeat"), "the stream is live");

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/orgs/tmp", admin, null, null).status());

    eventually(doomed.ended::get, "the deleted org's key stream ends");
    assertEquals(401, api.get("/api/stream", tmpKey).status());
    assertFalse(other.ended.get(), "org 4's key keeps its stream");
    other.response.request().connection().close();
  }

  @Test
  void theKeyListShowsIdLabelAndDateButNeverTheHashNorTheKey() {
    Reply list = api.get("/api/orgs/4/api-keys", admin);
    assertEquals(200, list.status(), list.body());
    JsonArray keys = list.json().getJsonArray("keys");
    assertFalse(keys.isEmpty());
    for (Object k : keys) {
      JsonObject key = (JsonObject) k;
      assertEquals(Set.of("id", "org", "label", "createdAt"), key.fieldNames(), key.encode());
      assertEquals("4", key.getString("org"));
    }
    assertTrue(keys.stream().anyMatch(k -> "crm".equals(((JsonObject) k).getString("label"))));
    assertFalse(list.body().contains(key4), "the key itself");
    assertFalse(list.body().contains(ApiKeys.hash(key4)), "the key's hash");
    assertFalse(list.body().contains("hash"));
    assertEquals(List.of(), api.get("/api/orgs/2/api-keys", admin).json()
        .getJsonArray("keys").getList(), "org 2's list holds no key of org 4");
    assertEquals(404, api.get("/api/orgs/9/api-keys", admin).status());
    // a key id of another org does not revoke anything
    Reply elsewhere = api.send(HttpMethod.DELETE, "/api/orgs/2/api-keys/" + idOf("4", "crm"),
        admin, null, null);
    assertEquals(404, elsewhere.status());
    assertEquals(200, api.get("/api/sessions/4", Login.key(key4)).status());
  }

  @Test
  void aDeletedUsersCookieGets401AndItsStreamsEnd() {
    createOperator("bob", "4");
    Login bob = api.login("bob", PASSWORD);
    assertEquals(200, api.get("/api/me", bob).status());
    Sse stream = Sse.open(http, port, bob);
    AtomicBoolean socketClosed = openBridge(new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + bob.sessionCookie()));
    eventually(() -> stream.text().contains(": heartbeat"), "the stream is live");

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/users/bob", admin, null, null).status());

    assertEquals(401, api.get("/api/me", bob).status());
    eventually(stream.ended::get, "bob's SSE stream ends");
    eventually(socketClosed::get, "bob's bridge socket is closed");
    assertFalse(api.get("/api/users", admin).body().contains("\"bob\""));
    assertEquals(404, api.send(HttpMethod.DELETE, "/api/users/bob", admin, null, null).status());
    assertEquals(200, api.get("/api/me", operator).status(), "other users stay logged in");
  }

  @Test
  void changingAUserEndsItsSessionsAndStreamsAndTheNewPasswordWorks() {
    createOperator("carla", "4");
    Login carla = api.login("carla", PASSWORD);
    Sse stream = Sse.open(http, port, carla);
    eventually(() -> stream.text().contains(": heartbeat"), "the stream is live");

    Reply changed = api.send(HttpMethod.PATCH, "/api/users/carla", admin, new JsonObject()
        .put("password", "a-new-password").put("orgs", new JsonArray().add("2").add("4")), null);
    assertEquals(200, changed.status(), changed.body());
    assertEquals(new JsonObject().put("username", "carla").put("role", "operator")
        .put("orgs", new JsonArray().add("2").add("4")), changed.json());

    assertEquals(401, api.get("/api/me", carla).status());
    eventually(stream.ended::get, "carla's stream, opened with her old orgs, ends");
    assertEquals(401, api.post("/auth/login", Login.NONE, new JsonObject()
        .put("username", "carla").put("password", PASSWORD)).status());
    Login again = api.login("carla", "a-new-password");
    assertEquals(List.of("2", "4"), api.get("/api/me", again).json().getJsonArray("orgs").getList());

    Reply promoted = api.send(HttpMethod.PATCH, "/api/users/carla", admin,
        new JsonObject().put("role", "admin"), null);
    assertEquals("admin", promoted.json().getString("role"));
    assertEquals(401, api.get("/api/me", again).status(), "a role change logs out too");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/users/carla", admin, null, null).status(),
        "an admin may be deleted while another remains");
  }

  @Test
  void theLastAdminCannotBeDemotedNorDeleted() {
    Reply demoted = api.send(HttpMethod.PATCH, "/api/users/admin", admin, new JsonObject()
        .put("role", "operator").put("orgs", new JsonArray().add("4")), null);
    assertEquals(409, demoted.status(), demoted.body());
    assertEquals("last_admin", demoted.json().getString("code"));
    assertTrue(demoted.json().getString("error").contains("last admin"), demoted.body());
    Reply deleted = api.send(HttpMethod.DELETE, "/api/users/admin", admin, null, null);
    assertEquals(409, deleted.status(), deleted.body());
    assertEquals("last_admin", deleted.json().getString("code"));
    assertEquals(200, api.get("/api/users", admin).status(), "and stays logged in");
  }

  @Test
  void operatorsKeysAndStrangersMayNotManageKeysOrUsers() {
    String keyId = idOf("4", "crm");
    for (Login caller : List.of(operator, Login.key(key4), Login.NONE)) {
      int expected = caller == Login.NONE ? 401 : 403;
      assertEquals(expected, api.get("/api/orgs/4/api-keys", caller).status());
      assertEquals(expected, api.send(HttpMethod.DELETE, "/api/orgs/4/api-keys/" + keyId, caller,
          null, null).status());
      assertEquals(expected, api.get("/api/users", caller).status());
      assertEquals(expected, api.send(HttpMethod.PATCH, "/api/users/ana", caller,
          new JsonObject().put("role", "admin"), null).status());
      assertEquals(expected, api.send(HttpMethod.DELETE, "/api/users/admin", caller, null, null)
          .status());
    }
    assertEquals(200, api.get("/api/sessions/4", Login.key(key4)).status(), "the key survives");
    assertEquals("operator", api.get("/api/me", operator).json().getString("role"));
  }

  @Test
  void aChangeWithoutTheXsrfHeaderIs403AndChangesNothing() {
    Login noXsrf = admin.withoutXsrf();
    for (Reply r : List.of(
        api.send(HttpMethod.DELETE, "/api/orgs/4/api-keys/" + idOf("4", "crm"), noXsrf, null, null),
        api.send(HttpMethod.PATCH, "/api/users/ana", noXsrf, new JsonObject().put("role", "admin"),
            null),
        api.send(HttpMethod.DELETE, "/api/users/ana", noXsrf, null, null))) {
      assertEquals(403, r.status(), r.body());
      assertEquals("csrf", r.json().getString("code"));
    }
    assertEquals(200, api.get("/api/sessions/4", Login.key(key4)).status());
    assertEquals("operator", api.get("/api/me", operator).json().getString("role"));
  }

  @Test
  void badIdsAndBadBodiesAre400() {
    for (String path : List.of("/api/orgs/4/api-keys/nope", "/api/orgs/4/api-keys/key_XYZ",
        "/api/orgs/4/api-keys/key_0123456789abcdef0", "/api/orgs/a%20b/api-keys/key_0123456789abcdef",
        "/api/orgs/" + "a".repeat(65) + "/api-keys")) {
      for (Login who : List.of(admin, Login.NONE)) {
        Reply r = api.send(HttpMethod.DELETE, path, who, null, null);
        assertEquals(400, r.status(), path + " " + r.body());
        assertTrue(r.json().containsKey("error") && r.json().containsKey("code"), r.body());
      }
    }
    assertEquals(404, api.send(HttpMethod.DELETE, "/api/orgs/4/api-keys/key_0123456789abcdef",
        admin, null, null).status());
    for (String path : List.of("/api/users/a%20b", "/api/users/" + "a".repeat(65),
        "/api/users/a%2Fb")) {
      Reply r = api.send(HttpMethod.DELETE, path, admin, null, null);
      assertEquals(400, r.status(), path + " " + r.body());
    }
    assertEquals(404, api.send(HttpMethod.PATCH, "/api/users/nobody", admin,
        new JsonObject().put("role", "admin"), null).status());
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("role", "root"),
        new JsonObject().put("password", "short"), new JsonObject().put("orgs", "4"),
        new JsonObject().put("orgs", new JsonArray().add("9")),
        new JsonObject().put("orgs", new JsonArray().add("../4")))) {
      Reply r = api.send(HttpMethod.PATCH, "/api/users/ana", admin, body, null);
      assertEquals(400, r.status(), body.encode() + " " + r.body());
    }
    assertEquals(List.of("4"), api.get("/api/me", operator).json().getJsonArray("orgs").getList());
  }

  // ---- helpers ----

  private void createOperator(String username, String org) {
    Reply r = api.post("/api/users", admin, new JsonObject().put("username", username)
        .put("password", PASSWORD).put("role", "operator").put("orgs", new JsonArray().add(org)));
    assertEquals(201, r.status(), r.body());
  }

  private String newKey(String org, String label) {
    Reply r = api.post("/api/orgs/" + org + "/api-keys", admin, new JsonObject().put("label", label));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("key");
  }

  private String idOf(String org, String label) {
    return api.get("/api/orgs/" + org + "/api-keys", admin).json().getJsonArray("keys").stream()
        .map(JsonObject.class::cast).filter(k -> label.equals(k.getString("label")))
        .map(k -> k.getString("id")).findFirst()
        .orElseThrow(() -> new AssertionError("no key labelled " + label));
  }

  /** Opens a bridge socket; the flag turns true once the server closes it. */
  private AtomicBoolean openBridge(WebSocketConnectOptions options) {
    options.setHost("127.0.0.1").setPort(port);
    if (options.getURI() == null || options.getURI().equals("/")) {
      options.setURI("/eventbus/websocket");
    }
    AtomicBoolean closed = new AtomicBoolean();
    await(sockets.connect(options).onSuccess(s -> s.closeHandler(v -> closed.set(true))));
    // the server accepts the socket before it authenticates it: wait until it is not refused
    long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
    while (System.nanoTime() < deadline && !closed.get()) {
      pause();
    }
    assertFalse(closed.get(), "the bridge accepted the socket");
    return closed;
  }

  private static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20); // the test thread, never an event loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An open SSE response: its text so far, and whether the server ended it. */
  private record Sse(HttpClientResponse response, StringBuffer buffer, AtomicBoolean ended) {
    static Sse open(HttpClient http, int port, Login login) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(port).setURI("/api/stream").addHeader("Accept", "text/event-stream");
      if (login.sessionCookie() != null) {
        options.addHeader("Cookie", "vigia_session=" + login.sessionCookie());
      }
      if (login.apiKey() != null) {
        options.addHeader("X-Api-Key", login.apiKey());
      }
      StringBuffer buffer = new StringBuffer();
      AtomicBoolean ended = new AtomicBoolean();
      HttpClientResponse response = await(http.request(options).compose(req -> req.send())
          .onSuccess(resp -> {
            resp.handler(b -> buffer.append(b.toString()));
            resp.endHandler(v -> ended.set(true));
          }));
      return new Sse(response, buffer, ended);
    }

    String text() {
      return buffer.toString();
    }
  }
}
