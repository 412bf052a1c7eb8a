package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "undo a clear", through the running app over HTTP (simulated engine): link, clear,
 * the archive listed with who and why, restored — {@code CONNECTED} with no new QR; refused while
 * the session is live, for API keys and for other orgs' people; a login WhatsApp no longer
 * accepts ends {@code LOGGED_OUT} saying so. With the file store; {@link PgArchiveScenarioTest},
 * PostgreSQL.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class ArchiveScenarioTest {

  @TempDir Path data;
  Vigia vigia;

  /** The store this scenario runs with: the files; {@link PgArchiveScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  ApiClient start(Vertx vertx) {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, store()),
        Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs",
        new JsonObject().put("id", "2").put("name", "CompuEasys")).statusCode());
    return admin;
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void aClearedSessionIsListedAndRestoredConnectedWithoutANewQr(Vertx vertx) throws Exception {
    ApiClient admin = start(vertx);
    String jid = link(admin);
    clearAndRestoreWithoutQr(admin, jid);

    // the live auth state is back in the store, and the archive holds nothing of it
    assertNotNull(store().creds(vigia, "2"), "the restored creds are the live ones");
    assertEquals(0, store().archiveEntries("2"), "neither the archive nor its note stays behind");
  }

  @Test
  void aRestoreIsRefusedWhileLiveToKeysToOtherOrgsAndForIdsThatAreNotArchives(Vertx vertx)
      throws Exception {
    ApiClient admin = start(vertx);
    link(admin);
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    String id = archives(admin).getJsonObject(0).getString("id");

    // a new phone links meanwhile: the live session is never replaced
    link(admin);
    var live = admin.post("/api/sessions/2/archives/" + id + "/restore", new JsonObject());
    assertEquals(409, live.statusCode());
    assertEquals("wrong_state", live.bodyAsJsonObject().getString("code"));
    assertTrue(live.bodyAsJsonObject().getString("error").contains("CONNECTED"),
        live.bodyAsString());
    assertEquals("CONNECTED", admin.json(admin.get("/api/sessions/2")).getString("state"));

    // an API key of the org: neither the list nor a restore (a person's decision)
    String key = admin.json(admin.post("/api/orgs/2/api-keys",
        new JsonObject().put("label", "crm"))).getString("key");
    ApiClient machine = new ApiClient(vertx, vigia.httpPort()).withApiKey(key);
    assertEquals(403, machine.get("/api/sessions/2/archives").statusCode());
    assertEquals(403, machine.post("/api/sessions/2/archives/" + id + "/restore",
        new JsonObject()).statusCode());

    // a person of another org: 403, and nothing of org 2 in the answer
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "4")
        .put("name", "Clínica Norte")).statusCode());
    assertEquals(201, admin.post("/api/users", new JsonObject().put("username", "ana")
        .put("password", "operator-of-four").put("role", "operator")
        .put("orgs", new JsonArray().add("4"))).statusCode());
    ApiClient ana = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, ana.login("ana", "operator-of-four").statusCode());
    var other = ana.get("/api/sessions/2/archives");
    assertEquals(403, other.statusCode());
    assertFalse(other.bodyAsString().contains(id));
    assertEquals(403, ana.post("/api/sessions/2/archives/" + id + "/restore", new JsonObject())
        .statusCode());
    assertEquals(200, ana.get("/api/sessions/4/archives").statusCode(), "her own org: yes");
    assertEquals(0, archives(ana, "4").size());

    // without the XSRF header (a forged request from another site): refused
    assertEquals(403, admin.postWithoutXsrf("/api/sessions/2/archives/" + id + "/restore",
        new JsonObject()).statusCode());
    // ids that are not archives never reach a path
    for (String bad : List.of("..", "..%2F..%2Fauth_sessions", ".hidden", "a%2Fb")) {
      var r = admin.post("/api/sessions/2/archives/" + bad + "/restore", new JsonObject());
      assertTrue(r.statusCode() == 400 || r.statusCode() == 404, bad + ": " + r.statusCode());
      assertFalse(r.bodyAsString().contains("Exception"), r.bodyAsString());
    }
    var invalid = admin.post("/api/sessions/2/archives/.hidden/restore", new JsonObject());
    assertEquals("invalid_archive_id", invalid.bodyAsJsonObject().getString("code"));
    assertEquals(404, admin.get("/api/sessions/9/archives").statusCode(), "no such org");
    assertEquals(1, archives(admin).size(), "the archive is still there, unchanged");

    // once the live session is cleared too: an id that names no archive is a 404
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    var unknown = admin.post("/api/sessions/2/archives/2020-01-01T00-00-00.000Z/restore",
        new JsonObject());
    assertEquals(404, unknown.statusCode(), unknown.bodyAsString());
    assertEquals(2, archives(admin).size(), "both clears are archived");
  }

  @Test
  void aLoginWhatsAppNoLongerAcceptsEndsLoggedOutWithAClearMessage(Vertx vertx)
      throws Exception {
    ApiClient admin = start(vertx);
    link(admin);
    restoreOfARemovedDevice(admin);
  }

  // ---- the scenarios ----

  private void clearAndRestoreWithoutQr(ApiClient admin, String jid) throws Exception {
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);

    JsonArray archives = archives(admin);
    assertEquals(1, archives.size(), archives.encode());
    JsonObject archive = archives.getJsonObject(0);
    String id = archive.getString("id");
    assertNotNull(archive.getString("archivedAt"));
    assertEquals("clear requested over HTTP", archive.getString("reason"));
    assertEquals("user:admin", archive.getString("actor"));
    assertEquals(true, archive.getBoolean("linked"));
    assertEquals(jid.split(":")[0], archive.getString("phone"), "the org's own number");

    int journalBefore = SpineScenarioTest.journal(admin).size();
    var restored = admin.post("/api/sessions/2/archives/" + id + "/restore", new JsonObject());
    assertEquals(202, restored.statusCode(), restored.bodyAsString());
    assertEquals(id, restored.bodyAsJsonObject().getString("restoredFrom"));
    assertEquals("2", restored.bodyAsJsonObject().getString("org"));
    JsonObject connected = admin.await("/api/sessions/2",
        s -> "CONNECTED".equals(s.getString("state")), 10);
    assertEquals(jid, connected.getJsonObject("me").getString("jid"), "the same linked device");

    // the journal (newest first) says who restored which archive, and shows no QR since
    JsonArray journal = SpineScenarioTest.journal(admin);
    List<JsonObject> since = journal.stream().map(JsonObject.class::cast)
        .limit(journal.size() - journalBefore).toList();
    assertTrue(since.stream().noneMatch(e -> "QR_REQUIRED".equals(e.getString("to"))),
        "no QR on the way back: " + since);
    JsonObject restoring = since.stream().filter(e -> e.getJsonObject("cause") != null
        && "archive_restored".equals(e.getJsonObject("cause").getString("reason")))
        .findFirst().orElseThrow(() -> new AssertionError("no restore in the journal: " + since));
    String told = restoring.getJsonObject("cause").getString("message");
    assertTrue(told.contains(id) && told.contains("user:admin"), told);
    assertTrue(restoring.getString("message").contains("restored archive"),
        restoring.getString("message"));
    assertEquals(0, archives(admin).size(), "a restored archive leaves the list");
  }

  /** The phone removed the device (401): its archive comes back, and WhatsApp says no. */
  private void restoreOfARemovedDevice(ApiClient admin) throws Exception {
    assertEquals(202, admin.post("/api/sim/sessions/2/fault",
        new JsonObject().put("kind", "logged_out")).statusCode());
    admin.await("/api/sessions/2", s -> "LOGGED_OUT".equals(s.getString("state")), 10);
    JsonObject dead = archives(admin).getJsonObject(0);
    assertEquals("logged_out", dead.getString("reason"));
    assertEquals("vigia", dead.getString("actor"), "archived by Vigía itself on the 401");
    int before = archives(admin).size();

    assertEquals(202, admin.post("/api/sessions/2/archives/" + dead.getString("id") + "/restore",
        new JsonObject()).statusCode());
    JsonObject refused = admin.await("/api/sessions/2", s -> "LOGGED_OUT".equals(
        s.getString("state")) && s.getJsonObject("cause") != null
        && s.getJsonObject("cause").getString("message").contains("restored"), 10);
    assertEquals(401, refused.getJsonObject("cause").getInteger("code"));
    assertEquals("WhatsApp no longer accepts the restored login (401): link the phone again with"
        + " a new QR", refused.getJsonObject("cause").getString("message"));
    assertEquals(before, archives(admin).size(), "archived again, as after every 401");
    assertEquals(false, admin.json(admin.get("/api/sessions/2")).containsKey("me"));
  }

  // ---- helpers ----

  /** Connect, scan, CONNECTED; returns the linked device's jid. */
  static String link(ApiClient admin) throws InterruptedException {
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 10);
    assertEquals(202, admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode());
    return admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10)
        .getJsonObject("me").getString("jid");
  }

  static JsonArray archives(ApiClient client) {
    return archives(client, "2");
  }

  static JsonArray archives(ApiClient client, String org) {
    var r = client.get("/api/sessions/" + org + "/archives");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(org, r.bodyAsJsonObject().getString("org"));
    return r.bodyAsJsonObject().getJsonArray("archives");
  }
}
