package dev.vigia.app;

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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "undo a clear", with the real Node bridge and Baileys against the loopback WhatsApp on
 * 127.0.0.1: a cleared login that WhatsApp still knows logs in again from its archive, with no
 * QR and its Signal sessions intact (a message reaches a contact); one whose device the phone
 * removed is refused by WhatsApp (401) and ends {@code LOGGED_OUT} saying so.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ArchiveLoopbackScenarioTest {

  static final int WAIT = 60;

  @TempDir
  static Path data;
  @TempDir
  static Path bin;
  static Vertx client;
  static LoopbackWhatsApp whatsApp;
  static Vigia vigia;
  static ApiClient admin;
  /** The files, or PostgreSQL for {@link PgArchiveLoopbackScenarioTest}. */
  static TestStore store;

  @BeforeAll
  static void startWhatsAppAndVigia(TestInfo test) throws Exception {
    store = TestStore.forTestClass(test.getTestClass().orElseThrow(), data);
    client = Vertx.vertx();
    whatsApp = LoopbackWhatsApp.start();
    String node = whatsApp.nodeCommand(bin, Map.of());
    // the engine's folder is shared by the app's test runs: npm ci once, not per data dir
    Path engine = data.resolve("engine").resolve("baileys");
    if (!Files.exists(engine, LinkOption.NOFOLLOW_LINKS)) {
      Path shared = Path.of("target", "baileys-engine").toAbsolutePath();
      Files.createDirectories(shared);
      Files.createDirectories(engine.getParent());
      Files.createSymbolicLink(engine, shared);
    }
    Map<String, String> settings = new HashMap<>(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "baileys",
        "VIGIA_NODE", node,
        "VIGIA_BAILEYS_WS_URL", whatsApp.url(),
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD));
    settings.putAll(store.settings());
    vigia = ApiClient.await(Vigia.start(VigiaConfig.fromMap(settings), Clock.systemUTC()));
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

  @Test
  void aClearedLoginWhatsAppStillKnowsLogsInAgainWithoutAQrAndStillReachesItsContacts()
      throws Exception {
    String phone = "5215550300901";
    String contact = "5215550300911";
    whatsApp.account(contact, "Ana");
    String jid = link("undo", phone);
    // a Signal session with the contact, made before the clear
    send("undo", contact, "Antes de limpiar");

    assertEquals(200, admin.post("/api/sessions/undo/clear", new JsonObject()).statusCode());
    awaitState("undo", "STOPPED");
    awaitOnline(phone, false); // the cleared session no longer talks to WhatsApp
    JsonArray archives = ArchiveScenarioTest.archives(admin, "undo");
    assertEquals(1, archives.size(), archives.encode());
    JsonObject archive = archives.getJsonObject(0);
    assertEquals(true, archive.getBoolean("linked"));
    assertEquals(phone, archive.getString("phone"));
    assertEquals("user:admin", archive.getString("actor"));
    int journalBefore = journal("undo").size();

    HttpResponse<Buffer> restored = admin.post("/api/sessions/undo/archives/"
        + archive.getString("id") + "/restore", new JsonObject());

    assertEquals(202, restored.statusCode(), restored.bodyAsString());
    JsonObject connected = awaitState("undo", "CONNECTED");
    assertEquals(jid, connected.getJsonObject("me").getString("jid"), "the same linked device");
    awaitOnline(phone, true);
    List<JsonObject> since = journal("undo").subList(0, journal("undo").size() - journalBefore);
    assertTrue(since.stream().noneMatch(e -> "QR_REQUIRED".equals(e.getString("to"))),
        "a QR on the way back: " + since);
    assertEquals(List.of(), ArchiveScenarioTest.archives(admin, "undo").getList());
    // the keys came back with the creds: the contact's Signal session still works
    send("undo", contact, "Después de restaurar");
    assertNotNull(store.creds(vigia, "undo"), "the restored creds are the live ones");
    assertEquals(0, store.archivedCreds("undo"), "the restored archive is gone from the store");
  }

  @Test
  void aLoginWhosePhoneRemovedTheDeviceIsRefusedByWhatsAppAndEndsLoggedOutSayingSo()
      throws Exception {
    String phone = "5215550300902";
    link("removed", phone);
    whatsApp.fault(phone, "logged_out"); // the phone removes the linked device
    awaitState("removed", "LOGGED_OUT");
    JsonObject dead = ArchiveScenarioTest.archives(admin, "removed").getJsonObject(0);
    assertEquals("logged_out", dead.getString("reason"));
    assertEquals("vigia", dead.getString("actor"));
    assertEquals(true, dead.getBoolean("linked"));

    HttpResponse<Buffer> restored = admin.post("/api/sessions/removed/archives/"
        + dead.getString("id") + "/restore", new JsonObject());

    assertEquals(202, restored.statusCode(), restored.bodyAsString());
    JsonObject refused = admin.await("/api/sessions/removed", s -> "LOGGED_OUT".equals(
        s.getString("state")) && s.getJsonObject("cause") != null
        && s.getJsonObject("cause").getString("message").contains("restored"), WAIT);
    assertEquals(401, refused.getJsonObject("cause").getInteger("code"));
    assertEquals("WhatsApp no longer accepts the restored login (401): link the phone again with"
        + " a new QR", refused.getJsonObject("cause").getString("message"));
    assertFalse(refused.containsKey("me"), refused.encode());
    assertNull(store.creds(vigia, "removed"), "refused credentials left in place");
    assertEquals(1, ArchiveScenarioTest.archives(admin, "removed").size(),
        "archived again, as after every 401");
  }

  // ---- helpers ----

  /** As {@code BaileysLoopbackScenarioTest.link}: create the org, connect, scan the QR. */
  private static String link(String org, String phone)
      throws Exception {
    whatsApp.account(phone, "Org " + org);
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", org)
        .put("name", "Org " + org)).statusCode());
    assertEquals(202, admin.post("/api/sessions/" + org + "/connect",
        new JsonObject().put("method", "qr")).statusCode());
    awaitState(org, "QR_REQUIRED");
    HttpResponse<Buffer> qr = admin.get("/api/sessions/" + org + "/qr");
    assertEquals(200, qr.statusCode(), qr.bodyAsString());
    whatsApp.scan(phone, qr.bodyAsJsonObject().getString("payload"));
    String jid = awaitState(org, "CONNECTED").getJsonObject("me").getString("jid");
    assertTrue(jid.startsWith(phone + ":"), jid);
    return jid;
  }

  private static void send(String org, String to, String text) throws InterruptedException {
    HttpResponse<Buffer> sent = admin.post("/api/sessions/" + org + "/messages",
        new JsonObject().put("to", to).put("text", text));
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (System.nanoTime() < until) {
      if (whatsApp.inbox(to).stream().map(JsonObject.class::cast)
          .anyMatch(m -> text.equals(m.getString("text")))) {
        return;
      }
      Thread.sleep(100); // the test thread
    }
    throw new AssertionError("the phone of " + to + " never got \"" + text + "\": "
        + whatsApp.inbox(to));
  }

  private static JsonObject awaitState(String org, String state) throws InterruptedException {
    return admin.await("/api/sessions/" + org, s -> state.equals(s.getString("state")), WAIT);
  }

  private static List<JsonObject> journal(String org) {
    return admin.json(admin.get("/api/sessions/" + org + "/events?limit=200"))
        .getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
  }

  private static void awaitOnline(String phone, boolean online) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (device(phone).getBoolean("online") != online && System.nanoTime() < until) {
      Thread.sleep(100); // the test thread
    }
    assertEquals(online, device(phone).getBoolean("online"), "WhatsApp's view of the device");
  }

  private static JsonObject device(String phone) {
    return whatsApp.state().getJsonArray("accounts").stream().map(JsonObject.class::cast)
        .filter(a -> phone.equals(a.getString("user"))).findFirst().orElseThrow()
        .getJsonArray("devices").getJsonObject(0);
  }
}
