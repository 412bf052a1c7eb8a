package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigia.common.Json;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.time.VirtualScheduler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, "Done when" 2–4, through the running app with the simulated engine: time is a
 * {@link ManualClock} moved by a {@link VirtualScheduler}, so minutes and days of backoff pass in
 * milliseconds; alerts go to a real SMTP server (GreenMail) and a real HTTP receiver on loopback;
 * the metrics are read from {@code GET /metrics} over real HTTP, as Prometheus would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MonitorScenarioTest {

  static final String ADMIN_PASSWORD = "correct horse battery";
  static final String SECRET = "webhook-secret-for-tests";
  static final String OPS = "ops@vigia.test";
  /** DESIGN §3 default breaker: 10 failures in 10 minutes. */
  static final int BREAKER_LIMIT = 10;

  record Hook(String event, String signature, String body) {}

  @TempDir Path data;
  GreenMail smtp;
  HttpServer hookServer;
  final List<Hook> hooks = new CopyOnWriteArrayList<>();
  ManualClock clock;
  VirtualScheduler scheduler;
  Vigia vigia;
  ApiClient admin;

  @BeforeEach
  void start(Vertx vertx) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    hookServer = ApiClient.await(vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          hooks.add(new Hook(req.getHeader("X-Vigia-Event"), req.getHeader("X-Vigia-Signature"),
              body.toString()));
          req.response().setStatusCode(204).end();
        }))
        .listen(0, "127.0.0.1"));
    clock = new ManualClock(Instant.now());
    scheduler = new VirtualScheduler(clock);
    vigia = ApiClient.await(Vigia.start(config(), clock, scheduler));
    admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", ADMIN_PASSWORD).statusCode());
  }

  /** The store this scenario runs with: the files; {@link PgMonitorScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  VigiaConfig config() {
    Map<String, String> settings = new java.util.HashMap<>(Map.ofEntries(
        Map.entry("VIGIA_HTTP_PORT", "0"),
        Map.entry("VIGIA_DATA_DIR", data.toString()),
        Map.entry("VIGIA_ENGINE", "simulated"),
        Map.entry("VIGIA_ADMIN_PASSWORD", ADMIN_PASSWORD),
        Map.entry("VIGIA_SIM_QR_FIRST_MS", "20000"),
        Map.entry("VIGIA_SIM_RESTART_MS", "20"),
        Map.entry("VIGIA_SMTP_HOST", "127.0.0.1"),
        Map.entry("VIGIA_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort())),
        Map.entry("VIGIA_SMTP_FROM", "alertas@vigia.test"),
        Map.entry("VIGIA_ALERT_EMAILS", OPS),
        Map.entry("VIGIA_WEBHOOK_URL", "http://127.0.0.1:" + hookServer.actualPort() + "/hook"),
        Map.entry("VIGIA_WEBHOOK_SECRET", SECRET)));
    settings.putAll(store().settings());
    return VigiaConfig.fromMap(settings);
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    if (hookServer != null) {
      ApiClient.await(hookServer.close());
    }
    smtp.stop();
  }

  // ---- a: 100 orgs lose the network --------------------------------------------------------

  @Test
  void hundredOrgsLoseTheNetworkAndAllComeBackWithJitteredBoundedAttempts() throws Exception {
    List<String> orgs = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      orgs.add("net-" + i);
    }
    linkAll(orgs);
    Map<String, Double> before = new HashMap<>();
    for (String org : orgs) {
      before.put(org, metric("vigia_reconnects_total", Map.of("org", org)));
    }

    assertTrue(admin.post("/api/sim/sessions/net-1/fault",
        new JsonObject().put("kind", "network_down")).statusCode() < 300);
    JsonArray waiting = awaitSessions(orgs, s -> "RECONNECTING".equals(s.getString("state"))
        && s.getJsonObject("reconnect") != null
        && s.getJsonObject("reconnect").getInteger("attempt") == 1, 15);

    // full jitter: the first attempts spread over the 1 s window, not all at one instant
    Instant now = clock.instant();
    List<Long> delays = new ArrayList<>();
    for (Object o : waiting) {
      Instant nextAt = Instant.parse(((JsonObject) o).getJsonObject("reconnect").getString("nextAt"));
      delays.add(Duration.between(now, nextAt).toMillis());
    }
    long distinct = delays.stream().distinct().count();
    // full jitter over 1 s at ms resolution: ~5 collisions expected among 100; 75 is far outside chance
    assertTrue(distinct >= 75, "distinct nextAt values: " + distinct);
    long spread = delays.stream().mapToLong(Long::longValue).max().orElseThrow()
        - delays.stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(spread > 500, "attempts spread over " + spread + " ms of the 1000 ms window");
    assertTrue(delays.stream().allMatch(d -> d >= 0 && d <= 1000), delays.toString());

    // a few simulated seconds of failing attempts while the network is down
    for (int i = 0; i < 3; i++) {
      scheduler.advance(Duration.ofSeconds(1));
      settle();
    }
    assertTrue(admin.post("/api/sim/sessions/net-1/fault",
        new JsonObject().put("kind", "network_up")).statusCode() < 300);
    // the next due attempt connects, and the network coming back wakes the others at once
    advanceUntil(Duration.ofSeconds(1), 600, () -> allIn(orgs, "CONNECTED"));

    for (String org : orgs) {
      double attempts = metric("vigia_reconnects_total", Map.of("org", org)) - before.get(org);
      assertTrue(attempts >= 1 && attempts <= BREAKER_LIMIT,
          "org " + org + " made " + attempts + " attempts");
    }
    assertEquals(100.0, metric("vigia_sessions", Map.of("state", "CONNECTED")));
    assertEquals(0.0, metric("vigia_sessions", Map.of("state", "RECONNECTING")));
    assertTrue(metric("vigia_disconnects_total", Map.of("code", "network_down")) >= 100);
    assertEquals(0, smtp.getReceivedMessages().length, "a network blip is no reason to mail");
    SessionHealth health = health("net-42");
    assertEquals(SessionHealth.OK, health.status());
    assertTrue(health.credsReadable());
  }

  // ---- b: a conflict is never retried ------------------------------------------------------

  @Test
  void conflictStaysConflictWithZeroAttemptsForTenMinutesAndOneAlert() throws Exception {
    link("c1");
    double attemptsBefore = metric("vigia_reconnects_total", Map.of("org", "c1"));
    fault("c1", "conflict");
    admin.await("/api/sessions/c1", s -> "CONFLICT".equals(s.getString("state")), 10);

    for (int i = 0; i < 20; i++) {
      scheduler.advance(Duration.ofSeconds(30));
      settle();
    }
    assertEquals("CONFLICT", admin.json(admin.get("/api/sessions/c1")).getString("state"));
    assertEquals(attemptsBefore, metric("vigia_reconnects_total", Map.of("org", "c1")),
        "zero connect attempts over 10 simulated minutes");

    MimeMessage mail = oneMail();
    assertTrue(mail.getSubject().contains("Organización c1"), mail.getSubject());
    assertTrue(mail.getSubject().contains("conflicto de sesión (440)"), mail.getSubject());
    assertEquals(OPS, mail.getAllRecipients()[0].toString());
    Hook hook = oneHook();
    assertEquals("conflict", hook.event());
    assertEquals("sha256=" + hmac(hook.body()), hook.signature());
    JsonObject body = new JsonObject(hook.body());
    assertEquals("c1", body.getString("org"));
    assertEquals(440, body.getJsonObject("cause").getInteger("code"));

    assertEquals(SessionHealth.DOWN, health("c1").status());
    assertTrue(journalMessages("c1").stream().anyMatch(m ->
        m.contains("'conflict' delivered by email to " + OPS)), "the outcome is journaled");
    assertEquals(1.0, metric("vigia_alerts_sent_total", Map.of("kind", "conflict", "channel", "email")));
    assertEquals(1.0, metric("vigia_alerts_sent_total", Map.of("kind", "conflict", "channel", "webhook")));
    assertEquals(1.0, metric("vigia_disconnects_total", Map.of("code", "440")));
    assertEquals(1.0, metric("vigia_sessions", Map.of("state", "CONFLICT")));
  }

  // ---- c: a logout archives and alerts once ------------------------------------------------

  @Test
  void logoutArchivesTheCredentialsAndAlertsOnce() throws Exception {
    link("l1");
    fault("l1", "logged_out");
    admin.await("/api/sessions/l1", s -> "LOGGED_OUT".equals(s.getString("state")), 10);
    awaitTrue(() -> stored(() -> store().archivedCreds("l1") == 1), "the archive holds the creds");
    assertNull(store().creds(vigia, "l1"), "no live creds");

    MimeMessage mail = oneMail();
    assertTrue(mail.getSubject().contains("Organización l1"), mail.getSubject());
    assertTrue(mail.getSubject().contains("sesión cerrada en el teléfono (401)"), mail.getSubject());
    assertTrue(mail.getContent().toString().contains("401 logged_out"), mail.getContent().toString());
    assertEquals("logged_out", oneHook().event());
    assertEquals(1.0, metric("vigia_alerts_sent_total", Map.of("kind", "logged_out", "channel", "email")));
    assertFalse(health("l1").credsReadable());
  }

  // ---- d: a flapping session sends one alert and one recovery ------------------------------

  @Test
  void tenDropsInAMinuteSendOneAlertAndOneRecoveryMessage() throws Exception {
    link("f1");
    Instant dropsStart = clock.instant();
    for (int drop = 1; drop <= BREAKER_LIMIT; drop++) {
      fault("f1", "connection_lost");
      if (drop < BREAKER_LIMIT) {
        admin.await("/api/sessions/f1", s -> s.getJsonObject("reconnect") != null, 10);
        // the backoff resets on every connect: attempt 1 waits at most 1 s
        advanceUntil(Duration.ofSeconds(1), 20, () -> "CONNECTED".equals(
            admin.json(admin.get("/api/sessions/f1")).getString("state")));
        scheduler.advance(Duration.ofSeconds(2));
      }
    }
    admin.await("/api/sessions/f1", s -> "FAILED".equals(s.getString("state")), 10);
    assertTrue(Duration.between(dropsStart, clock.instant()).toSeconds() < 60,
        "the ten drops happened within a simulated minute");
    MimeMessage alert = oneMail();
    assertTrue(alert.getSubject().contains("demasiadas desconexiones"), alert.getSubject());
    assertEquals("breaker_open", oneHook().event());

    // a person connects again: the session is back, and one recovery message says so
    assertEquals(202, admin.post("/api/sessions/f1/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/f1", s -> "CONNECTED".equals(s.getString("state")), 10);
    assertTrue(smtp.waitForIncomingEmail(10_000, 2));
    awaitTrue(() -> hooks.size() == 2, "the recovery webhook");
    settle();
    assertEquals(2, smtp.getReceivedMessages().length);
    assertTrue(smtp.getReceivedMessages()[1].getSubject().contains("sesión recuperada"));
    assertEquals("recovered", hooks.get(1).event());

    assertEquals(10.0, metric("vigia_reconnects_total", Map.of("org", "f1")),
        "one after the 515 while linking and nine retries; a person's connect is not one");
    assertEquals(10.0, metric("vigia_disconnects_total", Map.of("code", "408")));
    assertEquals(1.0, metric("vigia_alerts_sent_total", Map.of("kind", "breaker_open", "channel", "email")));
    assertEquals(1.0, metric("vigia_alerts_sent_total", Map.of("kind", "recovered", "channel", "webhook")));

    // daily stats: counted, persisted, and still there after a restart
    StatsPage page = stats("f1", 3);
    assertEquals(3, page.days().size());
    assertEquals(0, page.days().get(0).reconnects());
    long reconnects = page.days().stream().mapToLong(StatsPage.Day::reconnects).sum();
    assertEquals(10, reconnects);
    vigia.stopAndWait();
    assertTrue(store().hasStats("f1"));
    vigia = ApiClient.await(Vigia.start(config(), clock, scheduler));
    assertEquals(reconnects, stats("f1", 3).days().stream().mapToLong(StatsPage.Day::reconnects).sum()
        , "stats survive a restart");
  }

  // ---- e: a Bad MAC burst repairs one contact ----------------------------------------------

  @Test
  void badMacBurstRepairsThatContactOnlyAndTheSessionStaysConnected() throws Exception {
    link("m1");
    store().putKey(vigia, "m1", "session", "34600000001.0", "{\"_sessions\":{}}");
    store().putKey(vigia, "m1", "session", "34600000002.0", "{\"_sessions\":{}}");
    byte[] credsBefore = store().creds(vigia, "m1");

    assertTrue(admin.post("/api/sim/sessions/m1/fault", new JsonObject().put("kind", "bad_mac")
        .put("contact", "34600000001@s.whatsapp.net").put("count", 12)).statusCode() < 300);
    awaitTrue(() -> stored(() -> !store().hasKey(vigia, "m1", "session", "34600000001.0")),
        "the contact's Signal session is reset");
    assertTrue(store().hasKey(vigia, "m1", "session", "34600000002.0"),
        "other contacts keep theirs");
    assertEquals("CONNECTED", admin.json(admin.get("/api/sessions/m1")).getString("state"));
    assertArrayEquals(credsBefore, store().creds(vigia, "m1"), "same creds");
    assertEquals(12.0, metric("vigia_decrypt_failures_total", Map.of("org", "m1")));
    SessionHealth health = health("m1");
    assertEquals(SessionHealth.OK, health.status(), "one contact is not a degraded session");
    assertEquals(12.0, health.decryptFailuresPerHour());

    for (int i = 0; i < 2; i++) {
      ApiClient.await(vigia.vertx().eventBus().request(SendRequest.ADDRESS,
          Json.toJson(new SendRequest("m1", "34600000009", "hola " + i, null))));
    }
    awaitTrue(() -> metric("vigia_messages_total", Map.of("org", "m1", "status", "sent")) == 2.0,
        "two messages counted");
    assertEquals(2, stats("m1", 1).days().get(0).sent());
    settle();
    assertEquals(0, smtp.getReceivedMessages().length, "a repaired contact needs no person");
  }

  // ---- f: an idle session is reaped --------------------------------------------------------

  @Test
  void sessionIdleThirtyOneDaysIsArchivedAndRemoved() throws Exception {
    link("s1");
    link("s2");
    assertTrue(admin.post("/api/sessions/s1/disconnect", new JsonObject()).statusCode() < 300);
    admin.await("/api/sessions/s1", s -> "STOPPED".equals(s.getString("state")), 10);
    assertTrue(staleList().candidates().isEmpty(), "nothing is stale yet");

    for (int day = 0; day < 31; day++) {
      scheduler.advance(Duration.ofDays(1));
      // the daily job runs, then books its next run: wait for it before the next day
      awaitTrue(() -> scheduler.nextDue() != null && scheduler.nextDue().isAfter(clock.instant()),
          "the reaper ran on day " + (day + 1));
    }
    // the daily job ran: s1 (stopped, idle 31 days) is gone; s2 is connected and stays
    awaitTrue(() -> gatewayOrgs().equals(Set.of("s2")), "only s2 remains in the gateway");
    assertNull(store().creds(vigia, "s1"));
    assertEquals(1, store().archivedCreds("s1"), "archived, never destroyed");
    assertFalse(store().hasRecord("s1"));

    // a month passed: the admin's web session expired, so log in again
    assertEquals(200, admin.login("admin", ADMIN_PASSWORD).statusCode());
    assertTrue(journalMessages("s1").stream().anyMatch(m -> m.startsWith("Stale session")));
    JsonArray sessions = admin.json(admin.get("/api/sessions")).getJsonArray("sessions");
    for (Object o : sessions) {
      JsonObject s = (JsonObject) o;
      if ("s1".equals(s.getString("org"))) {
        // the org account still exists: the dashboard shows it as a never-linked placeholder
        assertEquals("STOPPED", s.getString("state"));
        assertEquals(null, s.getString("lastConnectedAt"), s.encode());
      }
    }
    assertTrue(staleList().candidates().isEmpty());
  }

  // ---- helpers -----------------------------------------------------------------------------

  void link(String org) throws Exception {
    linkAll(List.of(org));
  }

  /** Creates the orgs, connects them, scans every QR, waits until all are CONNECTED. */
  void linkAll(List<String> orgs) throws Exception {
    for (String org : orgs) {
      assertEquals(201, admin.post("/api/orgs",
          new JsonObject().put("id", org).put("name", "Org " + org)).statusCode());
      assertEquals(202, admin.post("/api/sessions/" + org + "/connect", new JsonObject()).statusCode());
    }
    awaitSessions(orgs, s -> "QR_REQUIRED".equals(s.getString("state")), 20);
    for (String org : orgs) {
      assertTrue(admin.post("/api/sim/sessions/" + org + "/scan", new JsonObject()).statusCode() < 300);
    }
    awaitSessions(orgs, s -> "CONNECTED".equals(s.getString("state")), 20);
  }

  void fault(String org, String kind) {
    assertTrue(admin.post("/api/sim/sessions/" + org + "/fault",
        new JsonObject().put("kind", kind)).statusCode() < 300);
  }

  /** Polls {@code GET /api/sessions} until every org of {@code orgs} matches; returns them. */
  JsonArray awaitSessions(List<String> orgs, java.util.function.Predicate<JsonObject> until,
      int seconds) throws InterruptedException {
    Set<String> wanted = new HashSet<>(orgs);
    JsonObject all = admin.await("/api/sessions", body -> {
      long ok = body.getJsonArray("sessions").stream().map(JsonObject.class::cast)
          .filter(s -> wanted.contains(s.getString("org")) && until.test(s)).count();
      return ok == wanted.size();
    }, seconds);
    JsonArray out = new JsonArray();
    all.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> wanted.contains(s.getString("org"))).forEach(out::add);
    return out;
  }

  boolean allIn(List<String> orgs, String state) {
    Set<String> wanted = new HashSet<>(orgs);
    return admin.json(admin.get("/api/sessions")).getJsonArray("sessions").stream()
        .map(JsonObject.class::cast)
        .filter(s -> wanted.contains(s.getString("org")) && state.equals(s.getString("state")))
        .count() == wanted.size();
  }

  /** Moves simulated time by {@code step} until {@code done}, at most {@code steps} times. */
  void advanceUntil(Duration step, int steps, BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < steps; i++) {
      if (done.getAsBoolean()) {
        return;
      }
      scheduler.advance(step);
      settle();
    }
    assertTrue(done.getAsBoolean(), "not reached after " + steps + " steps of " + step);
  }

  /** Lets the verticles work through what the last step started (the test thread waits). */
  void settle() throws InterruptedException {
    Thread.sleep(30);
  }

  void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  MimeMessage oneMail() throws Exception {
    assertTrue(smtp.waitForIncomingEmail(10_000, 1), "an alert e-mail arrives");
    awaitTrue(() -> !hooks.isEmpty(), "an alert webhook arrives");
    Thread.sleep(300); // a second, duplicate alert would arrive within this
    assertEquals(1, smtp.getReceivedMessages().length, "exactly one e-mail");
    return smtp.getReceivedMessages()[0];
  }

  Hook oneHook() {
    assertEquals(1, hooks.size(), "exactly one webhook: " + hooks);
    return hooks.get(0);
  }

  static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** A look at the store from a condition (its checked failures fail the test). */
  static boolean stored(java.util.concurrent.Callable<Boolean> look) {
    try {
      return look.call();
    } catch (Exception e) {
      throw new AssertionError("could not look at the store: " + e, e);
    }
  }

  List<String> journalMessages(String org) {
    return admin.json(admin.get("/api/sessions/" + org + "/events?limit=1000"))
        .getJsonArray("entries").stream().map(JsonObject.class::cast)
        .map(e -> String.valueOf(e.getString("message"))).toList();
  }

  <T> T ask(String address, Object request, Class<T> reply) {
    Object body = ApiClient.await(vigia.vertx().eventBus()
        .request(address, Json.toJson(request))).body();
    return Json.fromBody(body, reply);
  }

  SessionHealth health(String org) {
    return ask(HealthQuery.ADDRESS, new HealthQuery(org), SessionHealth.class);
  }

  StatsPage stats(String org, int days) {
    return ask(StatsQuery.ADDRESS, new StatsQuery(org, days), StatsPage.class);
  }

  StaleList staleList() {
    return ask(StaleQuery.ADDRESS, new StaleQuery(), StaleList.class);
  }

  Set<String> gatewayOrgs() {
    Set<String> out = new HashSet<>();
    ask(ListRequest.ADDRESS, new ListRequest(), SessionList.class).sessions()
        .forEach(s -> out.add(s.org()));
    return out;
  }

  /** One sample of {@code GET /metrics}, scraped over HTTP; 0 when the series is absent. */
  double metric(String name, Map<String, String> labels) {
    HttpResponse<Buffer> r = admin.get("/metrics");
    assertEquals(200, r.statusCode(), "GET /metrics");
    String scrape = r.bodyAsString();
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$",
        Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    while (m.find()) {
      Map<String, String> found = new HashMap<>();
      Matcher l = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m.group(1));
      while (l.find()) {
        found.put(l.group(1), l.group(2));
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0.0;
  }

}
