package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.gateway.loopback.LoopbackWhatsApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, through the whole app with {@code VIGIA_ENGINE=baileys}: the real Node bridge and the
 * real Baileys against the loopback WhatsApp on 127.0.0.1. A person links a phone by scanning the
 * QR the API shows; messages go to and come from contacts whose phones hold real Signal sessions;
 * WhatsApp's faults arrive on command and the monitor does what DESIGN §3 says. One WhatsApp and one
 * Vigía for the class; orgs that a test breaks for good are linked by that test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BaileysLoopbackScenarioTest {

  static final String MAIN = "5215550300001";
  static final String SECOND = "5215550300002";
  static final long WAIT = 60;

  @TempDir
  static Path data;
  @TempDir
  static Path bin;
  static Vertx client;
  static LoopbackWhatsApp whatsApp;
  static String node;
  static Vigia vigia;
  static ApiClient admin;
  /** The files, or PostgreSQL for {@link PgBaileysLoopbackScenarioTest}. */
  static TestStore store;

  @BeforeAll
  static void startWhatsAppAndVigiaAndLinkTwoOrgs(TestInfo test) throws Exception {
    store = TestStore.forTestClass(test.getTestClass().orElseThrow(), data);
    client = Vertx.vertx();
    whatsApp = LoopbackWhatsApp.start();
    node = whatsApp.nodeCommand(bin, Map.of());
    startVigia();
    link("main", MAIN);
    link("second", SECOND);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    if (whatsApp != null) {
      whatsApp.close();
    }
    if (client != null) {
      ApiClient.await(client.close());
    }
  }

  @AfterEach
  void whatsAppAnsweredEveryQuery() {
    assertEquals(List.of(), whatsApp.unanswered(), "the loopback left queries unanswered");
  }

  // ---- linking ----

  @Test
  void theQrTheApiShowedWasScannedAndTheOrgIsConnectedAsItsPhone() throws Exception {
    JsonObject main = session("main");
    assertEquals("CONNECTED", main.getString("state"));
    assertTrue(main.getJsonObject("me").getString("jid").startsWith(MAIN + ":"), main.encode());
    List<String> states = new java.util.ArrayList<>(journalStates("main"));
    java.util.Collections.reverse(states); // oldest first
    assertTrue(states.indexOf("QR_REQUIRED") >= 0 && states.indexOf("QR_REQUIRED") < states.indexOf("CONNECTED"),
        states.toString());
    JsonObject creds = new JsonObject(new String(store.creds(vigia, "main"),
        java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(main.getJsonObject("me").getString("jid"), creds.getJsonObject("me").getString("id"));
  }

  @Test
  void thePairingCodeTheApiShowedWasTypedOnThePhoneAndTheOrgIsConnected() throws Exception {
    String phone = "5215550300204";
    whatsApp.account(phone, "Org by code");
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "bycode").put("name", "By code"))
        .statusCode());
    assertEquals(202, admin.post("/api/sessions/bycode/connect",
        new JsonObject().put("method", "pairing_code").put("phone", "+" + phone)).statusCode());

    JsonObject waiting = admin.await("/api/sessions/bycode",
        s -> "PAIRING_CODE".equals(s.getString("state")) && s.getJsonObject("pairingCode") != null, (int) WAIT);
    whatsApp.enterPairingCode(phone, waiting.getJsonObject("pairingCode").getString("code"));

    JsonObject connected = awaitState("bycode", "CONNECTED");
    assertTrue(connected.getJsonObject("me").getString("jid").startsWith(phone + ":"), connected.encode());
  }

  @Test
  void aRestartedVigiaConnectsEveryLinkedOrgAgainWithoutAQr() throws Exception {
    vigia.stopAndWait();
    startVigia();

    awaitState("main", "CONNECTED");
    awaitState("second", "CONNECTED");
    assertFalse(newestStates("main", 4).contains("QR_REQUIRED"), journalStates("main").toString());
  }

  // ---- messages ----

  @Test
  void aMessageSentThroughTheApiReachesTheContactsPhoneAndCountsAsSent() throws Exception {
    String contact = "5215550300101";
    whatsApp.account(contact, "Ana");
    awaitState("main", "CONNECTED");
    double before = metric("vigia_messages_total", Map.of("org", "main", "status", "sent"));

    HttpResponse<Buffer> sent = admin.post("/api/sessions/main/messages",
        new JsonObject().put("to", contact).put("text", "Su pedido está listo"));

    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    JsonObject got = awaitInbox(contact, "Su pedido está listo");
    assertEquals(MAIN, got.getString("from"));
    awaitMetric("vigia_messages_total", Map.of("org", "main", "status", "sent"), before + 1);
  }

  @Test
  void aMessageFromAContactIsCountedAsReceived() throws Exception {
    String contact = "5215550300102";
    whatsApp.account(contact, "Beto");
    awaitState("main", "CONNECTED");
    double before = metric("vigia_messages_total", Map.of("org", "main", "status", "received"));

    whatsApp.send(contact, MAIN, "¿Tienen envío a domicilio?");

    awaitMetric("vigia_messages_total", Map.of("org", "main", "status", "received"), before + 1);
  }

  @Test
  void aBadMacBurstFromOneContactResetsOnlyThatContactsSessionAndKeepsTheLogin() throws Exception {
    String broken = "5215550300103";
    String healthy = "5215550300104";
    String brokenLid = whatsApp.account(broken, "Carla").getString("lid");
    String healthyLid = whatsApp.account(healthy, "Dani").getString("lid");
    awaitState("main", "CONNECTED");
    whatsApp.send(broken, MAIN, "hola");
    whatsApp.send(healthy, MAIN, "hola");
    awaitKey("main", "session", brokenLid + "_1.0", true);
    awaitKey("main", "session", healthyLid + "_1.0", true);
    byte[] creds = store.creds(vigia, "main");
    int journalBefore = journal("main").size();

    // five messages whose MAC does not verify: Baileys meets a real "Bad MAC" five times
    whatsApp.sendCorrupt(broken, MAIN, 5);

    admin.await("/api/sessions/main/events?limit=20", page -> page.getJsonArray("entries").stream()
        .map(JsonObject.class::cast).anyMatch(e -> "repair".equals(e.getString("kind"))), (int) WAIT);
    awaitKey("main", "session", brokenLid + "_1.0", false);
    assertTrue(store.hasKey(vigia, "main", "session", healthyLid + "_1.0"),
        "another contact's session went");
    assertEquals("CONNECTED", session("main").getString("state"));
    assertFalse(journal("main").stream().limit(journal("main").size() - journalBefore)
        .anyMatch(e -> "state".equals(e.getString("kind"))), "the login changed state: " + journal("main"));
    assertArrayEquals(creds, store.creds(vigia, "main"), "creds.json changed");
    // the reset session starts afresh: the next message reaches that contact again
    admin.post("/api/sessions/main/messages", new JsonObject().put("to", broken).put("text", "¿Me lee?"));
    awaitInbox(broken, "¿Me lee?");
  }

  // ---- faults ----

  @Test
  void aConflictIsNeverRetriedUntilAPersonTakesOver() throws Exception {
    awaitState("main", "CONNECTED");
    double reconnects = metric("vigia_reconnects_total", Map.of("org", "main"));

    whatsApp.fault(MAIN, "conflict");

    JsonObject conflict = awaitState("main", "CONFLICT");
    assertEquals(440, conflict.getJsonObject("cause").getInteger("code"));
    Thread.sleep(3000); // the test thread: long enough for any reconnect the monitor would start
    assertEquals("CONFLICT", session("main").getString("state"));
    assertEquals(reconnects, metric("vigia_reconnects_total", Map.of("org", "main")), "a reconnect was attempted");
    assertFalse(device(MAIN).getBoolean("online"), "Vigía logged in again by itself");

    assertEquals(202, admin.post("/api/sessions/main/connect", new JsonObject().put("takeover", true)).statusCode());
    awaitState("main", "CONNECTED");
  }

  @Test
  void aDroppedSocketReconnectsByItself() throws Exception {
    awaitState("main", "CONNECTED");
    int before = journalStates("main").size();

    whatsApp.fault(MAIN, "dropped");

    admin.await("/api/sessions/main/events?limit=50", page -> statesOf(page).size() >= before + 2
        && statesOf(page).get(0).equals("CONNECTED"), (int) WAIT);
    List<String> latest = journalStates("main").subList(0, journalStates("main").size() - before);
    assertTrue(latest.contains("RECONNECTING"), latest.toString());
  }

  @Test
  void aLoggedOutDeviceIsLoggedOutWithItsCredentialsArchived() throws Exception {
    String phone = "5215550300201";
    link("leaver", phone);

    whatsApp.fault(phone, "logged_out");

    JsonObject out = awaitState("leaver", "LOGGED_OUT");
    assertEquals(401, out.getJsonObject("cause").getInteger("code"));
    assertNull(store.creds(vigia, "leaver"), "creds left in place");
    assertTrue(store.archivedCreds("leaver") >= 1, "no archived creds");
  }

  @Test
  void aBannedAccountIsBanned() throws Exception {
    String phone = "5215550300202";
    link("banned", phone);

    whatsApp.fault(phone, "banned");

    JsonObject banned = awaitState("banned", "BANNED");
    assertEquals(403, banned.getJsonObject("cause").getInteger("code"));
  }

  @Test
  void killingNodeBringsEverySessionBack() throws Exception {
    awaitState("main", "CONNECTED");
    awaitState("second", "CONNECTED");
    ProcessHandle engine = ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("engine.mjs")).findFirst()
        .orElseThrow(() -> new AssertionError("no Node engine process"));

    engine.destroyForcibly();

    assertNotNull(engine.onExit().get(WAIT, TimeUnit.SECONDS));
    for (String org : List.of("main", "second")) {
      admin.await("/api/sessions/" + org + "/events?limit=20", page -> statesOf(page).contains("RECONNECTING")
          && statesOf(page).get(0).equals("CONNECTED"), (int) WAIT);
    }
  }

  @Test
  void anImportedBaileysFolderLogsInWithoutAQr() throws Exception {
    String phone = "5215550300203";
    link("exported", phone);
    assertTrue(admin.post("/api/sessions/exported/disconnect", new JsonObject()).statusCode() < 300);
    awaitState("exported", "STOPPED");
    Path folder = Files.createTempDirectory(bin, "folder");
    store.exportFolder(vigia, "exported", folder);
    vigia.stopAndWait();
    // the subcommand's own code: java -jar vigia.jar import-baileys <folder> --org imported
    assertEquals(0, Offline.importBaileys(config(), folder, "imported"));
    startVigia();
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "imported").put("name", "Imported"))
        .statusCode());

    assertEquals(202, admin.post("/api/sessions/imported/connect", new JsonObject()).statusCode());

    JsonObject imported = awaitState("imported", "CONNECTED");
    assertTrue(imported.getJsonObject("me").getString("jid").startsWith(phone + ":"));
    assertFalse(journalStates("imported").contains("QR_REQUIRED"), journalStates("imported").toString());
  }

  // ---- helpers ----

  static VigiaConfig config() {
    Map<String, String> settings = new HashMap<>(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "baileys",
        "VIGIA_NODE", node,
        "VIGIA_BAILEYS_WS_URL", whatsApp.url(),
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD));
    settings.putAll(store.settings());
    return VigiaConfig.fromMap(settings);
  }

  /**
   * Starts Vigía on the data dir and waits until the engine runs. The engine's folder is shared
   * by the app's test runs ({@code target/baileys-engine}): {@code npm ci} once, not per data dir.
   */
  static void startVigia() throws Exception {
    Path engine = data.resolve("engine").resolve("baileys");
    if (!Files.exists(engine, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Path shared = Path.of("target", "baileys-engine").toAbsolutePath();
      Files.createDirectories(shared);
      Files.createDirectories(engine.getParent());
      Files.createSymbolicLink(engine, shared);
    }
    vigia = ApiClient.await(Vigia.start(config(), Clock.systemUTC()));
    admin = new ApiClient(client, vigia.httpPort());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    HttpResponse<Buffer> ready = admin.get("/health/ready");
    while (ready.statusCode() != 200 && System.nanoTime() < until) {
      Thread.sleep(250); // the test thread
      ready = admin.get("/health/ready");
    }
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
  }

  /** A person creates the org, presses connect, and scans the QR the API shows with the phone. */
  static void link(String org, String phone) throws Exception {
    whatsApp.account(phone, "Org " + org);
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", org).put("name", "Org " + org))
        .statusCode());
    assertEquals(202, admin.post("/api/sessions/" + org + "/connect", new JsonObject().put("method", "qr"))
        .statusCode());
    awaitState(org, "QR_REQUIRED");
    HttpResponse<Buffer> qr = admin.get("/api/sessions/" + org + "/qr");
    assertEquals(200, qr.statusCode(), qr.bodyAsString());
    whatsApp.scan(phone, qr.bodyAsJsonObject().getString("payload"));
    JsonObject connected = awaitState(org, "CONNECTED");
    assertTrue(connected.getJsonObject("me").getString("jid").startsWith(phone + ":"), connected.encode());
  }

  static JsonObject session(String org) {
    return admin.json(admin.get("/api/sessions/" + org));
  }

  static JsonObject awaitState(String org, String state) throws InterruptedException {
    return admin.await("/api/sessions/" + org, s -> state.equals(s.getString("state")), (int) WAIT);
  }

  static List<JsonObject> journal(String org) {
    return admin.json(admin.get("/api/sessions/" + org + "/events?limit=200")).getJsonArray("entries")
        .stream().map(JsonObject.class::cast).toList();
  }

  /** The states the journal recorded, newest first. */
  static List<String> journalStates(String org) {
    return statesOf(admin.json(admin.get("/api/sessions/" + org + "/events?limit=200")));
  }

  static List<String> newestStates(String org, int n) {
    List<String> all = journalStates(org);
    return all.subList(0, Math.min(n, all.size()));
  }

  static List<String> statesOf(JsonObject page) {
    return page.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> "state".equals(e.getString("kind")) && e.getString("to") != null)
        .map(e -> e.getString("to")).toList();
  }

  static JsonObject device(String phone) {
    return whatsApp.state().getJsonArray("accounts").stream().map(JsonObject.class::cast)
        .filter(a -> phone.equals(a.getString("user"))).findFirst().orElseThrow()
        .getJsonArray("devices").getJsonObject(0);
  }

  static JsonObject awaitInbox(String phone, String text) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (System.nanoTime() < until) {
      JsonArray inbox = whatsApp.inbox(phone);
      for (Object m : inbox) {
        if (text.equals(((JsonObject) m).getString("text"))) {
          return (JsonObject) m;
        }
      }
      Thread.sleep(100); // the test thread
    }
    throw new AssertionError("the phone of " + phone + " never got \"" + text + "\": " + whatsApp.inbox(phone));
  }

  /** Waits until the org's key is stored ({@code present}) or gone. */
  static void awaitKey(String org, String type, String id, boolean present) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (store.hasKey(vigia, org, type, id) != present && System.nanoTime() < until) {
      Thread.sleep(100); // the test thread
    }
    assertEquals(present, store.hasKey(vigia, org, type, id), type + " " + id + " of " + org);
  }

  static void awaitMetric(String name, Map<String, String> labels, double value) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (metric(name, labels) < value && System.nanoTime() < until) {
      Thread.sleep(100); // the test thread
    }
    assertEquals(value, metric(name, labels), name + labels);
  }

  static double metric(String name, Map<String, String> labels) {
    String scrape = admin.get("/metrics").bodyAsString();
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
        .matcher(scrape);
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
