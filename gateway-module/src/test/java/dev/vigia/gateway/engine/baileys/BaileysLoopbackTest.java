package dev.vigia.gateway.engine.baileys;

import static dev.vigia.gateway.engine.baileys.RecordingListener.next;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.loopback.LoopbackWhatsApp;
import dev.vigia.gateway.session.StateAfterClose;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the real Node bridge with the real, unmodified Baileys against the loopback WhatsApp on
 * 127.0.0.1: linking by QR and by pairing code, login, sending to and receiving from a contact
 * whose phone has a real Signal session, and every fault WhatsApp can throw. One server and one
 * engine for the class; each test uses its own phone numbers and orgs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BaileysLoopbackTest {

  private static final Path WORK_DIR = Path.of("target", "baileys-engine").toAbsolutePath();
  private static final long WAIT = 30;
  private static final AtomicInteger NUMBERS = new AtomicInteger(1000);

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static LoopbackWhatsApp whatsApp;
  private static BaileysEngine engine;
  /** Vigía's file store: for the tests about files (creds.json, an imported folder). */
  private static RecordingStore files;
  /**
   * The others keep auth state in memory: a first login writes 812 pre-keys, which the file store
   * fsyncs one by one (seconds each link); what is written is the same.
   */
  private static RecordingStore store;

  /** A linked org: its live session, what it reports, the phone number it is linked to. */
  record Linked(String org, String phone, EngineSession session, RecordingListener listener, SessionView.Me me) {}

  @BeforeAll
  static void startWhatsAppAndEngine() throws Exception {
    vertx = Vertx.vertx();
    whatsApp = LoopbackWhatsApp.start();
    // a 1 s keep-alive: a stalled server is noticed in about 6 s; QR codes rotate every 1.5 s
    String node = whatsApp.nodeCommand(dir.resolve("bin"), Map.of(
        "VIGIA_BAILEYS_KEEPALIVE_MS", "1000", "VIGIA_BAILEYS_QR_TIMEOUT_MS", "1500"));
    engine = new BaileysEngine(vertx, WORK_DIR, node, whatsApp.url(), Clock.systemUTC());
    result(engine.ready(), 180);
    files = new RecordingStore(new FileAuthStateStore(vertx, dir.resolve("data"), Clock.systemUTC()));
    store = new RecordingStore(new InMemoryAuthStateStore(Clock.systemUTC()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) {
      result(engine.close(), WAIT);
    }
    if (whatsApp != null) {
      whatsApp.close();
    }
    if (vertx != null) {
      result(vertx.close(), WAIT);
    }
  }

  @AfterEach
  void everyQueryBaileysWaitedOnWasAnswered() {
    assertEquals(List.of(), whatsApp.unanswered(), "the loopback left queries unanswered");
  }

  // ---- linking ----

  @Test
  void aQrScannedByThePhoneLinksTheDeviceAndTheRestartLogsIn() throws Exception {
    Linked linked = link("qr");

    assertTrue(linked.me().jid().startsWith(linked.phone() + ":"), linked.me().toString());
    JsonObject creds = result(store.readCreds(linked.org()), WAIT);
    assertEquals(linked.me().jid(), creds.getJsonObject("me").getString("id"));
    assertNotNull(creds.getJsonObject("account"), "the signed device identity was not stored");
    JsonObject device = device(linked.phone());
    assertTrue(device.getBoolean("online"), device.encode());
    // Baileys' first login uploads its pre-keys (812 of them: INITIAL_PREKEY_COUNT) through the store
    assertEquals(812, device.getInteger("preKeysUploaded"), device.encode());
    assertTrue(store.calls.stream().anyMatch(c -> c.startsWith("keys.set " + linked.org() + " [pre-key")),
        "pre-keys never reached the store");
    assertEquals(List.of(), linked.listener().closes.stream().toList());
  }

  @Test
  void qrCodesRotateAndTheAttemptEndsWhenNoPhoneScansAny() throws Exception {
    whatsApp.refsPerLink(2);
    try {
      RecordingListener listener = new RecordingListener();
      result(engine.open(result(RunAuthState.open(store, org("expiring")), WAIT), listener).start(null), WAIT);

      String first = next(listener.qrs, WAIT);
      String second = next(listener.qrs, WAIT);
      assertNotEquals(first, second, "the QR did not rotate");
      Cause cause = listener.nextClose(WAIT);
      assertEquals(Cause.qrExpired(), cause);
      assertEquals(SessionState.STOPPED, StateAfterClose.of(cause));
    } finally {
      whatsApp.refsPerLink(6);
    }
  }

  @Test
  void aPairingCodeTypedOnThePhoneLinksTheDevice() throws Exception {
    String phone = phone();
    whatsApp.account(phone, "Org by code");
    String org = org("code");
    RecordingListener linking = new RecordingListener();
    result(engine.open(result(RunAuthState.open(store, org), WAIT), linking).start(phone), WAIT);

    String code = next(linking.codes, WAIT);
    assertTrue(code.matches("[0-9A-Z]{8}"), code);
    whatsApp.enterPairingCode(phone, code);

    assertEquals(Cause.restartRequired(), linking.nextClose(WAIT));
    RecordingListener listener = new RecordingListener();
    result(engine.open(result(RunAuthState.open(store, org), WAIT), listener).start(null), WAIT);
    SessionView.Me me = next(listener.opens, WAIT);
    assertTrue(me.jid().startsWith(phone + ":"), me.toString());
    assertTrue(linking.qrs.isEmpty(), "a pairing-code link must not show QR codes to people");
  }

  // ---- messages ----

  @Test
  void aSentMessageIsDecryptedByTheContactsPhoneAndAckedByTheServer() throws Exception {
    Linked linked = link("send");
    String contact = phone();
    whatsApp.account(contact, "Ana");

    SendReceipt receipt = result(linked.session().send(contact, "Hola Ana, su cita es mañana", null), WAIT);

    JsonArray inbox = awaitInbox(contact, 1);
    JsonObject got = inbox.getJsonObject(0);
    assertEquals("Hola Ana, su cita es mañana", got.getString("text"));
    assertEquals(receipt.id(), got.getString("id"));
    assertEquals(linked.phone(), got.getString("from"));
    Activity sent = next(linked.listener().activities, WAIT);
    assertEquals(Activity.MESSAGE_SENT, sent.kind());
    // the org's own phone gets the copy every linked device sends it ("sent from another device")
    assertTrue(whatsApp.inbox(linked.phone()).stream().map(JsonObject.class::cast)
        .anyMatch(m -> m.getBoolean("sentCopy") && receipt.id().equals(m.getString("id"))));
  }

  @Test
  void aContactsMessageIsDecryptedByBaileysAndReported() throws Exception {
    Linked linked = link("receive");
    String contact = phone();
    whatsApp.account(contact, "Beto");

    String id = whatsApp.send(contact, linked.phone(), "¿A qué hora abren?").getJsonArray("sent")
        .getJsonObject(0).getString("id");

    Activity received = nextActivity(linked.listener(), "message_received");
    assertEquals(contact + "@s.whatsapp.net", received.contact());
    assertEquals(id, received.detail());
  }

  @Test
  void aBadMacBurstFromOneContactIsThatContactsDecryptFailuresAndTheLoginStays() throws Exception {
    Linked linked = link("badmac");
    String broken = phone();
    String healthy = phone();
    whatsApp.account(broken, "Carla");
    whatsApp.account(healthy, "Dani");
    whatsApp.send(broken, linked.phone(), "hola");
    whatsApp.send(healthy, linked.phone(), "hola");
    nextActivity(linked.listener(), "message_received");
    nextActivity(linked.listener(), "message_received");
    JsonObject credsBefore = loginOf(linked.org());

    whatsApp.sendCorrupt(broken, linked.phone(), 5);
    for (int i = 0; i < 5; i++) {
      Activity failure = nextActivity(linked.listener(), Activity.DECRYPT_FAILURE);
      assertEquals(broken + "@s.whatsapp.net", failure.contact());
    }
    whatsApp.send(healthy, linked.phone(), "sigo aquí");

    Activity after = nextActivity(linked.listener(), "message_received");
    assertEquals(healthy + "@s.whatsapp.net", after.contact());
    assertTrue(linked.listener().closes.isEmpty(), "the login went: " + linked.listener().closes);
    assertEquals(credsBefore, loginOf(linked.org()));
    // Baileys asked the contact's phone to retry each message it could not decrypt
    assertEquals(5, whatsApp.retries(broken).size());
  }

  // ---- faults ----

  @Test
  void transientFaultsCloseWithTheirCausesAndTheNextLoginWorks() throws Exception {
    Linked linked = link("transient");
    Map<String, Cause> faults = new java.util.LinkedHashMap<>();
    faults.put("conflict", Cause.conflict());
    faults.put("bad_session", Cause.badSession());
    faults.put("unavailable", Cause.unavailable());
    faults.put("restart_required", Cause.restartRequired());
    faults.put("dropped", Cause.connectionClosed());
    faults.put("stalled", Cause.connectionLost());
    RecordingListener listener = linked.listener();
    for (var fault : faults.entrySet()) {
      whatsApp.fault(linked.phone(), fault.getKey());
      assertEquals(fault.getValue(), listener.nextClose(WAIT), fault.getKey());
      // what the monitor would do: connect again; the same credentials log in
      listener = new RecordingListener();
      result(engine.open(result(RunAuthState.open(store, linked.org()), WAIT), listener).start(null), WAIT);
      assertEquals(linked.me(), next(listener.opens, WAIT), "no login after " + fault.getKey());
    }
  }

  /**
   * What a cluster must never cause, and what its test counts: a second process logging in with a
   * linked device's credentials while the first is online. WhatsApp replaces the older connection
   * with {@code <stream:error><conflict type="replaced"/>} (Baileys: 440); so must the loopback.
   */
  @Test
  void aSecondLoginWithTheSameCredentialsFromAnotherProcessReplacesTheFirstWith440() throws Exception {
    Linked linked = link("twice");
    int replacedBefore = whatsApp.state().getInteger("replacedLogins");
    String node = whatsApp.nodeCommand(dir.resolve("bin-second"), Map.of());
    BaileysEngine second = new BaileysEngine(vertx, WORK_DIR, node, whatsApp.url(), Clock.systemUTC());
    try {
      result(second.ready(), 180);
      RecordingListener newer = new RecordingListener();
      result(second.open(result(RunAuthState.open(store, linked.org()), WAIT), newer).start(null), WAIT);

      assertEquals(linked.me(), next(newer.opens, WAIT), "the second process logged in");
      assertEquals(Cause.conflict(), linked.listener().nextClose(WAIT), "the first was replaced");
      assertEquals(replacedBefore + 1, whatsApp.state().getInteger("replacedLogins"));
      assertTrue(device(linked.phone()).getBoolean("online"), "the newer connection stays");
      assertTrue(newer.closes.isEmpty(), "the newer login went: " + newer.closes);
    } finally {
      result(second.close(), WAIT);
    }
  }

  @Test
  void terminalFaultsCloseWithTheirCausesAndWhatsAppKeepsRefusingTheLogin() throws Exception {
    Linked linked = link("terminal");
    Map<String, Cause> faults = new java.util.LinkedHashMap<>();
    faults.put("banned", Cause.banned(403));
    faults.put("banned_402", Cause.banned(402));
    faults.put("outdated", Cause.outdated(405));
    faults.put("logged_out", Cause.loggedOut()); // last: the device is gone for good
    RecordingListener listener = linked.listener();
    for (var fault : faults.entrySet()) {
      whatsApp.fault(linked.phone(), fault.getKey());
      assertEquals(fault.getValue(), listener.nextClose(WAIT), fault.getKey());
      RecordingListener again = new RecordingListener();
      result(engine.open(result(RunAuthState.open(store, linked.org()), WAIT), again).start(null), WAIT);
      assertEquals(fault.getValue(), again.nextClose(WAIT), "a second login after " + fault.getKey());
      if (!"logged_out".equals(fault.getKey())) {
        // the test lifts the ban (or updates the client): the same credentials log in again
        whatsApp.clearRefusal(linked.phone());
        listener = new RecordingListener();
        result(engine.open(result(RunAuthState.open(store, linked.org()), WAIT), listener).start(null), WAIT);
        assertEquals(linked.me(), next(listener.opens, WAIT));
      }
    }
  }

  // ---- an existing Baileys folder ----

  @Test
  void aBaileysFolderImportedIntoAnotherDataDirLogsInWithoutAQr() throws Exception {
    Linked origin = link("origin", files);
    result(origin.session().close(), WAIT);
    Path folder = dir.resolve("exported-" + origin.org());
    Files.createDirectories(folder);
    try (Stream<Path> all = Files.list(credsFile(origin.org()).getParent())) {
      for (Path f : (Iterable<Path>) all::iterator) {
        if (!f.getFileName().toString().startsWith(".tmp-")) { // a write still landing
          Files.copy(f, folder.resolve(f.getFileName()));
        }
      }
    }
    FileAuthStateStore other = new FileAuthStateStore(vertx, dir.resolve("other-data"), Clock.systemUTC());
    result(other.importBaileysFolder("imported", folder), WAIT);

    RecordingListener listener = new RecordingListener();
    result(engine.open(result(RunAuthState.open(other, "imported"), WAIT), listener).start(null), WAIT);

    assertEquals(origin.me(), next(listener.opens, WAIT));
    assertTrue(listener.qrs.isEmpty(), "an imported, linked folder showed a QR");
  }

  @Test
  void aFolderLinkedElsewhereIsAdoptedByTheLoopbackAndLogsIn() throws Exception {
    // linked against another WhatsApp (a second loopback): this one has never seen the device
    String org = org("elsewhere");
    String phone;
    try (LoopbackWhatsApp elsewhere = LoopbackWhatsApp.start()) {
      BaileysEngine otherEngine = new BaileysEngine(vertx, WORK_DIR,
          elsewhere.nodeCommand(dir.resolve("bin-elsewhere"), Map.of()), elsewhere.url(), Clock.systemUTC());
      try {
        result(otherEngine.ready(), 180);
        phone = phone();
        elsewhere.account(phone, "Elsewhere");
        RecordingListener linking = new RecordingListener();
        result(otherEngine.open(result(RunAuthState.open(store, org), WAIT), linking).start(null), WAIT);
        elsewhere.scan(phone, next(linking.qrs, WAIT));
        assertEquals(Cause.restartRequired(), linking.nextClose(WAIT));
      } finally {
        result(otherEngine.close(), WAIT);
      }
    }
    RecordingListener refused = new RecordingListener();
    result(engine.open(result(RunAuthState.open(store, org), WAIT), refused).start(null), WAIT);
    assertEquals(Cause.loggedOut(), refused.nextClose(WAIT), "an unknown device must be refused (401)");

    whatsApp.adopt(result(store.readCreds(org), WAIT).encode());
    RecordingListener listener = new RecordingListener();
    result(engine.open(result(RunAuthState.open(store, org), WAIT), listener).start(null), WAIT);
    assertTrue(next(listener.opens, WAIT).jid().startsWith(phone + ":"));
  }

  // ---- helpers ----

  private Linked link(String name) throws Exception {
    return link(name, store);
  }

  /** A new org linked by QR to a new phone number: the scan, the 515, the second login. */
  private Linked link(String name, RecordingStore store) throws Exception {
    String phone = phone();
    whatsApp.account(phone, "Org " + name);
    String org = org(name);
    RecordingListener linking = new RecordingListener();
    result(engine.open(result(RunAuthState.open(store, org), WAIT), linking).start(null), WAIT);
    whatsApp.scan(phone, next(linking.qrs, WAIT));
    assertEquals(Cause.restartRequired(), linking.nextClose(WAIT), "a link ends with a restart (515)");
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(result(RunAuthState.open(store, org), WAIT), listener);
    result(session.start(null), WAIT);
    SessionView.Me me = next(listener.opens, WAIT);
    return new Linked(org, phone, session, listener, me);
  }

  private static String phone() {
    return "52155500" + NUMBERS.incrementAndGet() + "1";
  }

  private static String org(String name) {
    return name + "-" + NUMBERS.incrementAndGet();
  }

  private static Path credsFile(String org) {
    return dir.resolve("data").resolve(FileAuthStateStore.SESSIONS_DIR).resolve(org).resolve("creds.json");
  }

  /** The parts of the creds that are the login: they must survive anything but a new link. */
  private static JsonObject loginOf(String org) throws Exception {
    JsonObject creds = result(store.readCreds(org), WAIT);
    JsonObject login = new JsonObject();
    for (String key : List.of("noiseKey", "signedIdentityKey", "signedPreKey", "registrationId", "advSecretKey",
        "me", "account")) {
      login.put(key, creds.getValue(key));
    }
    return login;
  }

  private static JsonObject device(String phone) {
    return whatsApp.state().getJsonArray("accounts").stream().map(JsonObject.class::cast)
        .filter(a -> phone.equals(a.getString("user"))).findFirst().orElseThrow()
        .getJsonArray("devices").getJsonObject(0);
  }

  private static JsonArray awaitInbox(String phone, int size) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    JsonArray inbox = whatsApp.inbox(phone);
    while (inbox.size() < size && System.nanoTime() < until) {
      Thread.sleep(50); // the test thread
      inbox = whatsApp.inbox(phone);
    }
    assertEquals(size, inbox.size(), "the contact's phone got: " + inbox.encode());
    return inbox;
  }

  private static Activity nextActivity(RecordingListener listener, String kind) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    while (System.nanoTime() < until) {
      Activity a = listener.activities.poll(100, TimeUnit.MILLISECONDS);
      if (a != null && kind.equals(a.kind())) {
        return a;
      }
    }
    throw new AssertionError("no " + kind + " within " + WAIT + " s; saw " + listener.events
        + "\n" + whatsApp.lastLines());
  }
}
