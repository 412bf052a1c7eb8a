package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.account.OrgSettings;
import dev.vigia.common.account.OrgSettingsQuery;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.web.MetricsRoutes;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health, stats and stale proxying, messages with idempotency keys, org settings on the bus and
 * {@code /metrics}, over real HTTP on 127.0.0.1 against a fake gateway and a fake monitor. Vert.x
 * is created with Prometheus metrics, as the app does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MachineClientsAndMonitorApiTest {

  private static final String ADMIN_PASSWORD = DashboardFixture.ADMIN_PASSWORD;
  private static final String OPERATOR_PASSWORD = DashboardFixture.OPERATOR_PASSWORD;

  private Vertx vertx;
  private FakeGateway gateway;
  private FakeMonitor monitor;
  private ApiClient api;
  private Login admin;
  private Login operator;
  private String key4;
  private String key2;

  @BeforeAll
  void deployWithTwoOrgsAnOperatorAndKeys(@TempDir Path dataDir) {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true)));
    DashboardFixture fixture = new DashboardFixture(vertx, dataDir, null);
    gateway = fixture.gateway;
    monitor = new FakeMonitor(vertx);
    await(monitor.register());
    api = fixture.api;
    admin = fixture.admin;
    operator = fixture.operator;
    key4 = api.post("/api/orgs/4/api-keys", admin, null).json().getString("key");
    key2 = api.post("/api/orgs/2/api-keys", admin, null).json().getString("key");
  }

  @AfterAll
  void close() {
    api.close();
    await(vertx.close());
  }

  @Test
  void healthIsProxiedForPeopleAndKeysOfTheOrgOnly() {
    Reply mine = api.get("/api/sessions/4/health", operator);
    assertEquals(200, mine.status(), mine.body());
    assertEquals("4", mine.json().getString("org"));
    assertEquals("ok", mine.json().getString("status"));
    assertEquals("creds", mine.json().getJsonArray("checks").getJsonObject(0).getString("name"));
    assertEquals(200, api.get("/api/sessions/4/health", Login.key(key4)).status());
    assertEquals(200, api.get("/api/sessions/2/health", admin).status());

    int before = seen(dev.vigia.common.monitor.HealthQuery.ADDRESS);
    Reply other = api.get("/api/sessions/2/health", operator);
    assertEquals(403, other.status());
    assertEquals("forbidden", other.json().getString("code"));
    assertEquals(403, api.get("/api/sessions/2/health", Login.key(key4)).status());
    assertEquals(403, api.get("/api/sessions/4/health", Login.key(key2)).status());
    assertEquals(401, api.get("/api/sessions/4/health", Login.NONE).status());
    assertEquals(400, api.get("/api/sessions/bad%20org/health", admin).status());
    assertEquals(before, seen(dev.vigia.common.monitor.HealthQuery.ADDRESS),
        "a refused caller never reaches the monitor");
  }

  @Test
  void statsAskTheMonitorForThirtyDaysByDefaultAndCheckTheRange() {
    Reply byDefault = api.get("/api/sessions/4/stats", operator);
    assertEquals(200, byDefault.status(), byDefault.body());
    assertEquals(30, byDefault.json().getJsonArray("days").size());
    Reply week = api.get("/api/sessions/4/stats?days=7", Login.key(key4));
    assertEquals(200, week.status());
    JsonArray days = week.json().getJsonArray("days");
    assertEquals(7, days.size());
    assertEquals("2026-01-01", days.getJsonObject(6).getString("date"));
    assertEquals(6, days.getJsonObject(6).getInteger("sent"));
    StatsQuery asked = Json.fromJson(lastSeen(StatsQuery.ADDRESS), StatsQuery.class);
    assertEquals(new StatsQuery("4", 7), asked);
    assertEquals(200, api.get("/api/sessions/4/stats?days=366", operator).status());
    for (String bad : List.of("0", "367", "-1", "abc", "1.5")) {
      Reply r = api.get("/api/sessions/4/stats?days=" + bad, operator);
      assertEquals(400, r.status(), bad);
      assertEquals("invalid_field", r.json().getString("code"), bad);
    }
    assertEquals(403, api.get("/api/sessions/2/stats", operator).status());
    assertEquals(403, api.get("/api/sessions/2/stats", Login.key(key4)).status());
  }

  @Test
  void theStaleListIsForAdminsOnly() {
    Reply r = api.get("/api/maintenance/stale", admin);
    assertEquals(200, r.status(), r.body());
    assertEquals(30, r.json().getInteger("staleDays"));
    assertEquals("2", r.json().getJsonArray("candidates").getJsonObject(0).getString("org"));
    assertEquals(403, api.get("/api/maintenance/stale", operator).status());
    assertEquals(403, api.get("/api/maintenance/stale", Login.key(key4)).status());
    assertEquals(401, api.get("/api/maintenance/stale", Login.NONE).status());
  }

  @Test
  void aMonitorThatIsNotRunningIs503() {
    await(monitor.unregister());
    try {
      for (String path : List.of("/api/sessions/4/health", "/api/sessions/4/stats",
          "/api/maintenance/stale")) {
        Reply r = api.get(path, admin);
        assertEquals(503, r.status(), path);
        assertEquals("unavailable", r.json().getString("code"), path);
      }
    } finally {
      await(monitor.register());
    }
  }

  @Test
  void aRetriedSendWithTheSameIdempotencyKeyIsSentOnceAndAnswersTheSameId() {
    int before = seen(GatewayAddresses.SEND);
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "order-1001");
    JsonObject message = new JsonObject().put("to", "573001234567").put("text", "Su pedido llegó");
    Reply first = api.send(HttpMethod.POST, "/api/sessions/4/messages", Login.key(key4), message, key);
    assertEquals(202, first.status(), first.body());
    assertNotNull(first.json().getString("id"));
    assertEquals("sent", first.json().getString("status"));
    Reply again = api.send(HttpMethod.POST, "/api/sessions/4/messages", Login.key(key4), message, key);
    assertEquals(202, again.status());
    assertEquals(first.json(), again.json());
    assertEquals(before + 1, seen(GatewayAddresses.SEND), "one send reached the gateway");
    JsonObject sent = lastSeen(GatewayAddresses.SEND);
    assertEquals("4", sent.getString("org"));
    assertEquals("order-1001", sent.getString("idempotencyKey"));

    // the key may come in the body; another key is another message
    Reply viaBody = api.post("/api/sessions/4/messages", operator,
        message.copy().put("idempotencyKey", "order-1002"));
    assertEquals(202, viaBody.status(), viaBody.body());
    Reply viaBodyAgain = api.post("/api/sessions/4/messages", operator,
        message.copy().put("idempotencyKey", "order-1002"));
    assertEquals(viaBody.json(), viaBodyAgain.json());
    assertTrue(!viaBody.json().getString("id").equals(first.json().getString("id")));
    assertEquals(before + 2, seen(GatewayAddresses.SEND));
    // a group jid is a valid recipient
    assertEquals(202, api.post("/api/sessions/4/messages", Login.key(key4), new JsonObject()
        .put("to", "120363025246125486@g.us").put("text", "hola")).status());
  }

  @Test
  void badRecipientsAndTextsAre400AndNeverReachTheGateway() {
    int before = seen(GatewayAddresses.SEND);
    for (Object to : List.of("abc", "12345", "+573001234567", "573001234567@evil.com",
        "1234567890123456789012", "", 573001234567L)) {
      Reply r = api.post("/api/sessions/4/messages", Login.key(key4),
          new JsonObject().put("to", to).put("text", "hola"));
      assertEquals(400, r.status(), "to=" + to);
      assertEquals("invalid_field", r.json().getString("code"));
    }
    for (String text : List.of("", " ", "x".repeat(4097))) {
      assertEquals(400, api.post("/api/sessions/4/messages", Login.key(key4),
          new JsonObject().put("to", "573001234567").put("text", text)).status());
    }
    assertEquals(400, api.post("/api/sessions/4/messages", Login.key(key4),
        new JsonObject().put("to", "573001234567")).status(), "text is required");
    assertEquals(202, api.post("/api/sessions/4/messages", Login.key(key4),
        new JsonObject().put("to", "573001234567").put("text", "x".repeat(4096))).status());
    assertEquals(before + 1, seen(GatewayAddresses.SEND));
  }

  @Test
  void aKeyOrPersonOfAnotherOrgCannotSendAndABrowserNeedsItsCsrfToken() {
    int before = seen(GatewayAddresses.SEND);
    JsonObject message = new JsonObject().put("to", "573001234567").put("text", "hola");
    assertEquals(403, api.post("/api/sessions/4/messages", Login.key(key2), message).status());
    assertEquals(403, api.post("/api/sessions/2/messages", Login.key(key4), message).status());
    assertEquals(403, api.post("/api/sessions/2/messages", operator, message).status());
    Reply noCsrf = api.post("/api/sessions/4/messages", operator.withoutXsrf(), message);
    assertEquals(403, noCsrf.status());
    assertEquals("csrf", noCsrf.json().getString("code"));
    assertEquals(401, api.post("/api/sessions/4/messages", Login.NONE, message).status());
    assertEquals(before, seen(GatewayAddresses.SEND));
  }

  @Test
  void apiAnswersCarryNoStoreNosniffAndNoReferrer() {
    Reply r = api.get("/api/sessions/4/health", operator);
    assertEquals("no-store", r.headers().get("Cache-Control"));
    assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
    assertEquals("no-referrer", r.headers().get("Referrer-Policy"));
  }

  @Test
  void orgSettingsAreServedOnTheBusWithTheLanguageAnAdminSets() {
    OrgSettings four = orgSettings("4");
    assertEquals(new OrgSettings("4", "Océano Óptico", List.of("ops@example.com"), null, "es"), four);

    Reply patched = api.send(HttpMethod.PATCH, "/api/orgs/4", admin, new JsonObject()
        .put("language", "en").put("webhookUrl", "https://hooks.example.com/vigia"), null);
    assertEquals(200, patched.status(), patched.body());
    assertEquals("en", patched.json().getString("language"));
    assertEquals(new OrgSettings("4", "Océano Óptico", List.of("ops@example.com"),
        "https://hooks.example.com/vigia", "en"), orgSettings("4"));

    for (JsonObject bad : List.of(new JsonObject().put("language", "fr"),
        new JsonObject().put("webhookUrl", "ftp://example.com/x"),
        new JsonObject().put("webhookUrl", "javascript:alert(1)"),
        new JsonObject().put("alertEmails", new JsonArray().add("not-an-email")))) {
      Reply r = api.send(HttpMethod.PATCH, "/api/orgs/4", admin, bad, null);
      assertEquals(400, r.status(), bad.encode());
    }
    assertEquals(400, api.post("/api/orgs", admin, new JsonObject().put("id", "9")
        .put("language", "de")).status());
    Reply english = api.post("/api/orgs", admin, new JsonObject().put("id", "8")
        .put("language", "en"));
    assertEquals(201, english.status(), english.body());
    assertEquals("en", orgSettings("8").language());
    assertEquals("es", orgSettings("2").language());

    ReplyException unknown = assertFailsOnBus("77");
    assertEquals(404, unknown.failureCode());
    assertEquals(400, assertFailsOnBus("../etc").failureCode());
  }

  @Test
  void metricsAreServedAsPrometheusText() {
    // a request first, so Vert.x has HTTP server metrics to show
    api.get("/health", Login.NONE);
    Reply r = api.get("/metrics", Login.NONE);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().get("Content-Type").startsWith("text/plain"), r.headers().get("Content-Type"));
    assertTrue(r.body().contains("# TYPE"), r.body());
    assertTrue(r.body().contains("vertx_http_server"), "Vert.x's own HTTP metrics are there");
  }

  @Test
  void withATokenConfiguredMetricsNeedTheBearerToken() {
    String token = "metrics-token-0123456789";
    Router router = Router.router(vertx);
    new MetricsRoutes(token).mount(router);
    router.route().failureHandler(dev.vigia.dashboard.web.ErrorHandler::handle);
    var server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    WebClient web = WebClient.create(vertx);
    try {
      var none = await(web.get(server.actualPort(), "127.0.0.1", "/metrics").send());
      assertEquals(401, none.statusCode());
      assertEquals("unauthenticated", none.bodyAsJsonObject().getString("code"));
      var wrong = await(web.get(server.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer metrics-token-0123456788").send());
      assertEquals(401, wrong.statusCode());
      var right = await(web.get(server.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer " + token).send());
      assertEquals(200, right.statusCode());
      assertTrue(right.bodyAsString().contains("# TYPE"));
    } finally {
      web.close();
      await(server.close());
    }
    assertEquals(token, VigiaConfig.defaultsOnly().with("VIGIA_METRICS_TOKEN", token).metricsToken());
  }

  @Test
  void aStreamsBusConsumersGoAwayWithItsClient() throws InterruptedException {
    var handlers = BackendRegistries.getDefaultNow().find("vertx.eventbus.handlers").gauge();
    assertNotNull(handlers, "Vert.x counts its event-bus handlers");
    double before = handlers.value();
    HttpClient http = vertx.createHttpClient();
    try {
      var response = await(http.request(new RequestOptions().setMethod(HttpMethod.GET)
          .setHost("127.0.0.1").setPort(api.port()).setURI("/api/stream")
          .addHeader("Cookie", "vigia_session=" + operator.sessionCookie()))
          .compose(req -> req.send()));
      assertEquals(200, response.statusCode());
      waitFor(() -> handlers.value() == before + 1, "the operator's one org is followed");
      response.exceptionHandler(closedByUs -> { });
      await(response.request().connection().close());
      waitFor(() -> handlers.value() == before, "the consumer is gone with the client");
    } finally {
      await(http.close());
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // the test thread, never an event loop
    }
  }

  private OrgSettings orgSettings(String org) {
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(OrgSettingsQuery.ADDRESS,
        Json.toJson(new OrgSettingsQuery(org)))).body();
    return Json.fromJson(reply, OrgSettings.class);
  }

  private ReplyException assertFailsOnBus(String org) {
    try {
      ApiClient.await(vertx.eventBus().request(OrgSettingsQuery.ADDRESS,
          Json.toJson(new OrgSettingsQuery(org))));
    } catch (AssertionError e) {
      if (e.getCause() != null && e.getCause().getCause() instanceof ReplyException r) {
        return r;
      }
      throw e;
    }
    throw new AssertionError("org " + org + " should have failed");
  }

  private int seen(String address) {
    return (int) gateway.seen().stream().filter(s -> s.address().equals(address)).count();
  }

  private JsonObject lastSeen(String address) {
    List<FakeGateway.Seen> all = gateway.seen().stream().filter(s -> s.address().equals(address))
        .toList();
    return all.get(all.size() - 1).body();
  }
}
