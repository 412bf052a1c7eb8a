package dev.vigia.gateway.store;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.gateway.store.AuthStateStore.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link AuthStateStore} must do (file today, PostgreSQL later): a concrete test
 * extends this and says how to make an empty store and how to see that nothing was stored.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class AuthStateStoreContractTest {

  protected static final String SENDER_KEY_ID = "120363000000000001@g.us::5215550000001::0";
  protected static final String APP_STATE_KEY_ID = "AAAAAFx/ab+c";
  protected static final List<String> BAD_ORGS =
      List.of("../x", "%2e%2e", "a".repeat(65), "", "a/b", "2 ", "..");

  protected AuthStateStore store;
  private Vertx vertx;

  /** A new store with nothing in it. */
  protected abstract AuthStateStore newStore(Vertx vertx) throws Exception;

  /** Fails when the store holds anything at all (used after input that must be refused). */
  protected abstract void assertNothingStored() throws Exception;

  /** An archive id in the store's own form that names no archive. */
  protected abstract String unusedArchiveId();

  @BeforeEach
  void createStore(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = newStore(vertx);
  }

  protected static JsonObject creds(int registrationId) {
    return new JsonObject()
        .put("noiseKey", new JsonObject()
            .put("private", BufferJson.encode(new byte[] {1, 2, 3}))
            .put("public", BufferJson.encode(new byte[] {4, 5, 6})))
        .put("signedIdentityKey", new JsonObject()
            .put("private", BufferJson.encode(new byte[] {7}))
            .put("public", BufferJson.encode(new byte[] {8})))
        .put("signedPreKey", new JsonObject().put("keyId", 1))
        .put("registrationId", registrationId)
        .put("advSecretKey", "mgXt/4sQnWmdClra5h2jaIMlcMGd+kuS6yF4IfLDTTk=")
        .put("processedHistoryMessages", new JsonArray())
        .put("accountSettings", new JsonObject().put("unarchiveChats", false))
        .put("registered", true)
        .put("me", new JsonObject().put("id", "5215550000001:7@s.whatsapp.net").put("name", "Ñandú"));
  }

  protected static Map<String, Map<String, String>> batch(String type, String id, String value) {
    Map<String, String> values = new HashMap<>();
    values.put(id, value);
    Map<String, Map<String, String>> batch = new HashMap<>();
    batch.put(type, values);
    return batch;
  }

  @Test
  void credsRoundTripAndOverwrite() throws Exception {
    assertNull(result(store.readCreds("2")));
    result(store.writeCreds("2", creds(2)));
    assertEquals(creds(2), result(store.readCreds("2")));
    result(store.writeCreds("2", creds(3)));
    assertEquals(3, result(store.readCreds("2")).getInteger("registrationId"));
    assertNull(result(store.readCreds("4")), "orgs do not share credentials");
  }

  @Test
  void keysAreWrittenReadAndDeletedInBatches() throws Exception {
    String preKey = "{\"private\":{\"type\":\"Buffer\",\"data\":\"uDGa\"},\"public\":{\"type\":\"Buffer\",\"data\":\"12iA\"}}";
    String senderKey = "{\"type\":\"Buffer\",\"data\":\"W3sic2VuZGVy\"}";
    String appStateKey = "{\"keyData\":\"H4tz\",\"fingerprint\":{\"rawId\":1001},\"timestamp\":\"1795852259403\"}";
    Map<String, Map<String, String>> batch = new LinkedHashMap<>();
    batch.put("pre-key", Map.of("1", preKey, "2", preKey.replace("uDGa", "xxxx")));
    batch.put("sender-key", Map.of(SENDER_KEY_ID, senderKey));
    batch.put("app-state-sync-key", Map.of(APP_STATE_KEY_ID, appStateKey));
    batch.put("lid-mapping", Map.of("5215550002222", "\"99887766554433\"",
        "99887766554433_reverse", "\"5215550002222\""));
    result(store.setKeys("2", batch));

    assertEquals(Map.of("1", preKey, "2", preKey.replace("uDGa", "xxxx")),
        result(store.getKeys("2", "pre-key", List.of("1", "2", "3"))), "value text is kept exactly");
    assertEquals(Map.of(SENDER_KEY_ID, senderKey),
        result(store.getKeys("2", "sender-key", List.of(SENDER_KEY_ID))));
    assertEquals(Map.of(APP_STATE_KEY_ID, appStateKey),
        result(store.getKeys("2", "app-state-sync-key", List.of(APP_STATE_KEY_ID))));
    assertEquals("\"99887766554433\"",
        result(store.getKeys("2", "lid-mapping", List.of("5215550002222"))).get("5215550002222"),
        "a lid mapping is a bare JSON string");
    assertTrue(result(store.getKeys("4", "pre-key", List.of("1"))).isEmpty(), "orgs are apart");

    result(store.setKeys("2", batch("pre-key", "1", null)));
    assertEquals(Map.of("2", preKey.replace("uDGa", "xxxx")),
        result(store.getKeys("2", "pre-key", List.of("1", "2"))), "null deletes only that key");
    result(store.setKeys("2", batch("pre-key", "1", null))); // deleting twice is fine
    result(store.setKeys("2", batch("pre-key", "2", "{\"v\":2}")));
    assertEquals("{\"v\":2}", result(store.getKeys("2", "pre-key", List.of("2"))).get("2"));
  }

  @Test
  void keyIdsListOneContactsSessionsByPrefix() throws Exception {
    Map<String, Map<String, String>> batch = new LinkedHashMap<>();
    batch.put("session", Map.of("5215550001111.0", "{}", "5215550001111.3", "{}",
        "5215550002222.0", "{}", "52155500011119.0", "{}"));
    batch.put("sender-key", Map.of(SENDER_KEY_ID, "{}"));
    batch.put("sender-key-memory", Map.of("120363000000000001@g.us", "{}"));
    batch.put("pre-key", Map.of("1", "{}", "2", "{}"));
    result(store.setKeys("2", batch));

    assertEquals(List.of("5215550001111.0", "5215550001111.3"),
        sorted(result(store.keyIds("2", "session", "5215550001111."))));
    assertEquals(List.of(SENDER_KEY_ID), result(store.keyIds("2", "sender-key", "")),
        "sender-key ids come back as written, and sender-key-memory is another type");
    assertEquals(List.of("120363000000000001@g.us"),
        result(store.keyIds("2", "sender-key-memory", "")));
    assertEquals(List.of("1", "2"), sorted(result(store.keyIds("2", "pre-key", null))));
    assertTrue(result(store.keyIds("2", "session", "999")).isEmpty());
    assertTrue(result(store.keyIds("4", "session", "")).isEmpty());
  }

  @Test
  void clearTakesEverythingAwayAndALaterWriteStartsFresh() throws Exception {
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("2", batch("pre-key", "1", "{}")));
    result(store.writeCreds("4", creds(4)));

    String where = result(store.clear("2", "test"));
    assertNotNull(where, "clear says where the state went");
    assertNull(result(store.readCreds("2")), "no live creds remain");
    assertTrue(result(store.getKeys("2", "pre-key", List.of("1"))).isEmpty());
    assertEquals(List.of("4"), orgs(result(store.list())));
    assertEquals(creds(4), result(store.readCreds("4")), "other orgs are untouched");

    result(store.setKeys("2", batch("session", "1.0", "{}")));
    assertTrue(result(store.getKeys("2", "pre-key", List.of("1"))).isEmpty(), "fresh after clear");
    assertNull(result(store.readCreds("2")));
    assertNull(result(store.clear("9", "nothing there")), "nothing to clear");
  }

  @Test
  void listShowsOrgsWithStateTheirLastWriteAndWhetherTheyHaveCreds() throws Exception {
    assertTrue(result(store.list()).isEmpty());
    Instant before = Instant.now().minusSeconds(2);
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("4", batch("pre-key", "1", "{}")));
    Instant after = Instant.now().plusSeconds(2);

    List<StoredSession> sessions = result(store.list());
    assertEquals(List.of("2", "4"), orgs(sessions));
    assertTrue(sessions.get(0).hasCreds());
    assertFalse(sessions.get(1).hasCreds());
    for (StoredSession session : sessions) {
      assertTrue(session.lastWrite().isAfter(before) && session.lastWrite().isBefore(after),
          "last write " + session.lastWrite());
    }
  }

  @Test
  void listExceptLeavesOutTheKnownOrgsOnly() throws Exception {
    result(store.writeCreds("2", creds(2)));
    result(store.writeCreds("4", creds(4)));
    result(store.setKeys("6", batch("pre-key", "1", "{}")));

    List<StoredSession> unknown = result(store.listExcept(Set.of("2", "6", "9")));
    assertEquals(List.of("4"), orgs(unknown), "the orgs the gateway knows are left out");
    assertTrue(unknown.get(0).hasCreds());
    assertEquals(List.of("2", "4", "6"), orgs(result(store.listExcept(Set.of()))));
  }

  @Test
  void badOrgIdsAreRejectedAndNothingIsWritten() throws Exception {
    for (String org : BAD_ORGS) {
      List<Future<?>> calls = List.of(store.writeCreds(org, creds(2)), store.readCreds(org),
          store.setKeys(org, batch("pre-key", "1", "{}")),
          store.getKeys(org, "pre-key", List.of("1")), store.keyIds(org, "session", ""),
          store.clear(org, "test"), store.importBaileysFolder(org, Path.of(".")),
          store.archives(org), store.restore(org, "1"));
      for (Future<?> call : calls) {
        assertInstanceOf(IllegalArgumentException.class, failure(call), "org id '" + org + "'");
      }
    }
    assertInstanceOf(IllegalArgumentException.class, failure(store.readCreds(null)));
    assertNothingStored();
  }

  @Test
  void anInvalidJsonValueRejectsTheWholeBatch() throws Exception {
    for (String bad : List.of("{\"private\":", "", "{} trailing", "{'a':1}", "undefined")) {
      Map<String, Map<String, String>> batch = new LinkedHashMap<>();
      batch.put("pre-key", new LinkedHashMap<>(Map.of("1", "{\"ok\":true}")));
      batch.put("session", new LinkedHashMap<>(Map.of("5215550001111.0", bad)));
      assertInstanceOf(IllegalArgumentException.class, failure(store.setKeys("2", batch)),
          "value " + bad);
    }
    assertTrue(result(store.getKeys("2", "pre-key", List.of("1"))).isEmpty());
    assertNothingStored();
  }

  @Test
  void keyTypesAndIdsThatCouldEscapeTheOrgAreRejected() throws Exception {
    for (String type : List.of("../x", "Pre-Key", "pre-key/..", "", "creds.json", "sender",
        "no-such-type")) {
      assertInstanceOf(IllegalArgumentException.class,
          failure(store.setKeys("2", batch(type, "1", "{}"))), "type " + type);
      assertInstanceOf(IllegalArgumentException.class,
          failure(store.getKeys("2", type, List.of("1"))), "type " + type);
      assertInstanceOf(IllegalArgumentException.class,
          failure(store.keyIds("2", type, "")), "type " + type);
    }
    assertInstanceOf(IllegalArgumentException.class, failure(store.keyIds("2", null, "")));
    for (String id : List.of("..", "../../creds", "a\\b", "x\u0000y", "")) {
      assertInstanceOf(IllegalArgumentException.class,
          failure(store.setKeys("2", batch("session", id, "{}"))), "id " + id);
    }
    assertInstanceOf(IllegalArgumentException.class,
        failure(store.setKeys("2", batch("sender-key", "memory-1", "{}"))),
        "an id that would read back as another type");
    assertNothingStored();
  }

  @Test
  void operationsOfOneOrgApplyInTheOrderTheyWereCalled() throws Exception {
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      writes.add(store.setKeys("2", batch("session", "1.0", "{\"n\":" + i + "}")));
      if (i == 30) {
        writes.add(store.clear("2", "in the middle").mapEmpty());
      }
    }
    Future<Map<String, String>> read = store.getKeys("2", "session", List.of("1.0"));
    for (Future<Void> write : writes) {
      result(write);
    }
    assertEquals("{\"n\":59}", result(read).get("1.0"), "a read sees every earlier write");
  }

  @Test
  void aClearRevokesTheRunsWriterAndItsLateWritesCreateNothing() throws Exception {
    AuthStateWriter run = result(store.openWriter("2"));
    result(run.writeCreds(creds(2)));
    result(run.setKeys(batch("pre-key", "1", "{}")));

    assertNotNull(result(store.clear("2", "cleared while the run still writes")));
    assertTrue(run.isRevoked(), "a clear ends the run's right to write");
    AuthStateException late = assertInstanceOf(AuthStateException.class,
        failure(run.writeCreds(creds(2))));
    assertEquals(AuthStateException.Kind.REVOKED, late.kind());
    assertInstanceOf(AuthStateException.class,
        failure(run.setKeys(batch("session", "5215550000001.0", "{}"))));
    assertNull(result(store.readCreds("2")), "the cleared session did not come back");
    assertTrue(result(store.getKeys("2", "session", List.of("5215550000001.0"))).isEmpty());
    assertTrue(orgs(result(store.list())).isEmpty(), "nothing re-created after the clear");
  }

  @Test
  void aNewRunRevokesTheOldOneAndCarriesAGreaterEpoch() throws Exception {
    AuthStateWriter first = result(store.openWriter("2"));
    AuthStateWriter second = result(store.openWriter("2"));
    AuthStateWriter other = result(store.openWriter("4"));
    assertTrue(second.epoch() > first.epoch(), "epochs grow per org");
    assertTrue(first.isRevoked(), "only the newest run of an org may write");
    assertFalse(second.isRevoked());
    assertFalse(other.isRevoked(), "other orgs' runs are untouched");
    assertInstanceOf(AuthStateException.class, failure(first.writeCreds(creds(1))));
    result(second.writeCreds(creds(2)));
    assertEquals(creds(2), result(store.readCreds("2")));
  }

  @Test
  void aRevokedWriterWritesNothingEvenWhenRevokedWhileItsWriteWaits() throws Exception {
    AuthStateWriter run = result(store.openWriter("2"));
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      many.put(String.valueOf(i), "{}");
    }
    // one event-loop task: the write is queued behind another write of the org and cannot start
    // before the task ends, so it is still waiting when the run is revoked; the store checks the
    // writer when the write's turn comes, not when it was asked
    Promise<Future<Void>> queued = Promise.promise();
    vertx.runOnContext(v -> {
      store.setKeys("2", Map.of("pre-key", many));
      Future<Void> late = run.writeCreds(creds(2));
      run.revoke();
      queued.complete(late);
    });
    Future<Void> late = result(queued.future());
    AuthStateException refused = assertInstanceOf(AuthStateException.class, failure(late));
    assertEquals(AuthStateException.Kind.REVOKED, refused.kind());
    assertNull(result(store.readCreds("2")), "a write queued before the revoke never ran after it");
    assertEquals(200, result(store.keyIds("2", "pre-key", "")).size(), "the other write landed");
  }

  // ---- the archive: undo a clear (issue 9) ----

  /** creds of a phone that never linked: what Baileys' initAuthCreds() stores before a scan. */
  protected static JsonObject unlinkedCreds() {
    JsonObject c = creds(5);
    c.remove("me");
    c.put("registered", false);
    return c;
  }

  protected static String idOf(String where) {
    return where.substring(where.lastIndexOf('/') + 1);
  }

  @Test
  void archivesListNewestFirstWithReasonWhoAndTheLinkedLogin() throws Exception {
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("2", batch("pre-key", "1", "{}")));
    String first = idOf(result(store.clear("2", "clear requested over HTTP", "user:ana")));
    result(store.writeCreds("2", unlinkedCreds()));
    String second = idOf(result(store.clear("2", "logged_out", null)));
    result(store.writeCreds("4", creds(4)));

    List<ArchivedState> archives = result(store.archives("2"));
    assertEquals(List.of(second, first), archives.stream().map(ArchivedState::id).toList(),
        "newest first");
    ArchivedState linked = archives.get(1);
    assertEquals("clear requested over HTTP", linked.reason());
    assertEquals("user:ana", linked.actor());
    assertTrue(linked.linked(), "registered, with me: a linked login");
    assertEquals("5215550000001", linked.phone(), "the number of the linked account");
    assertNotNull(linked.archivedAt());
    ArchivedState unlinked = archives.get(0);
    assertEquals("logged_out", unlinked.reason());
    assertNull(unlinked.actor());
    assertFalse(unlinked.linked(), "cleared before a phone linked");
    assertNull(unlinked.phone());
    assertFalse(unlinked.archivedAt().isBefore(linked.archivedAt()));
    assertTrue(result(store.archives("4")).isEmpty(), "org 4 cleared nothing");
    assertTrue(result(store.archives("9")).isEmpty(), "an org never seen has none");
  }

  @Test
  void aRestoreBringsTheWholeStateBackAndTheArchiveLeavesTheList() throws Exception {
    result(store.writeCreds("2", creds(2)));
    Map<String, Map<String, String>> keys = new LinkedHashMap<>();
    keys.put("pre-key", Map.of("1", "{\"k\":1}", "2", "{\"k\":2}"));
    keys.put("session", Map.of("5215550001111.0", "{\"s\":1}"));
    keys.put("lid-mapping", Map.of("5215550001111", "\"99887766554433\""));
    result(store.setKeys("2", keys));
    String id = idOf(result(store.clear("2", "clear requested over HTTP", "user:ana")));

    ArchivedState restored = result(store.restore("2", id));
    assertEquals(id, restored.id());
    assertEquals("user:ana", restored.actor());
    assertTrue(restored.linked());
    assertEquals(creds(2), result(store.readCreds("2")), "the creds are back, byte for byte");
    assertEquals(Map.of("1", "{\"k\":1}", "2", "{\"k\":2}"),
        result(store.getKeys("2", "pre-key", List.of("1", "2"))));
    assertEquals(List.of("5215550001111.0"), result(store.keyIds("2", "session", "5215550001111")));
    assertEquals("\"99887766554433\"",
        result(store.getKeys("2", "lid-mapping", List.of("5215550001111"))).get("5215550001111"));
    assertEquals(List.of("2"), orgs(result(store.list())), "the org has stored state again");
    assertTrue(result(store.archives("2")).isEmpty(), "a restored archive leaves the list");

    // the restored state is live: it is written to, and a later clear archives it anew
    result(store.setKeys("2", batch("pre-key", "3", "{\"k\":3}")));
    String again = idOf(result(store.clear("2", "cleared again", "user:luis")));
    List<ArchivedState> archives = result(store.archives("2"));
    assertEquals(1, archives.size());
    assertEquals(again, archives.get(0).id());
    assertEquals("user:luis", archives.get(0).actor());
    result(store.restore("2", again));
    assertEquals("{\"k\":3}", result(store.getKeys("2", "pre-key", List.of("3"))).get("3"));
  }

  @Test
  void aRestoreNeverOverwritesLiveState() throws Exception {
    result(store.writeCreds("2", creds(2)));
    String id = idOf(result(store.clear("2", "test", "user:ana")));

    result(store.writeCreds("2", creds(3)));
    AuthStateException refused = assertInstanceOf(AuthStateException.class,
        failure(store.restore("2", id)));
    assertEquals(AuthStateException.Kind.CONFLICT, refused.kind());
    assertEquals(409, refused.failureCode());
    assertTrue(refused.getMessage().contains("already has auth state"), refused.getMessage());
    assertEquals(3, result(store.readCreds("2")).getInteger("registrationId"), "live creds kept");
    assertEquals(List.of(id), result(store.archives("2")).stream().map(ArchivedState::id).toList(),
        "the archive is still there");

    // keys without creds are live state too (a run that wrote keys before its creds)
    result(store.clear("2", "test"));
    result(store.setKeys("2", batch("session", "5215550001111.0", "{}")));
    assertEquals(AuthStateException.Kind.CONFLICT, ((AuthStateException) failure(
        store.restore("2", id))).kind());
    assertEquals(Map.of("5215550001111.0", "{}"),
        result(store.getKeys("2", "session", List.of("5215550001111.0"))));
    assertEquals(2, result(store.archives("2")).size(), "both archives remain");
  }

  @Test
  void aRestoreOfAnArchiveThatIsNotThereOrOfAnotherOrgChangesNothing() throws Exception {
    AuthStateException missing = assertInstanceOf(AuthStateException.class,
        failure(store.restore("2", unusedArchiveId())));
    assertEquals(AuthStateException.Kind.NOT_FOUND, missing.kind());
    assertEquals(404, missing.failureCode());

    result(store.writeCreds("2", creds(2)));
    String id = idOf(result(store.clear("2", "test")));
    AuthStateException otherOrg = assertInstanceOf(AuthStateException.class,
        failure(store.restore("4", id)), "org 4 cannot restore org 2's archive");
    assertEquals(AuthStateException.Kind.NOT_FOUND, otherOrg.kind());
    assertNull(result(store.readCreds("4")));
    assertNull(result(store.readCreds("2")));
    assertEquals(1, result(store.archives("2")).size());
  }

  @Test
  void archiveIdsThatCouldReachOutsideTheOrgsArchiveAreRefused() throws Exception {
    result(store.writeCreds("4", creds(4)));
    String org4s = idOf(result(store.clear("4", "test")));
    for (String id : List.of("..", "../4/" + org4s, "../../auth_sessions/4", "a/b", "",
        "%2e%2e", ".hidden", "x\u0000y", org4s + "/..", "a".repeat(65))) {
      assertInstanceOf(IllegalArgumentException.class, failure(store.restore("2", id)),
          "archive id '" + id + "'");
    }
    assertInstanceOf(IllegalArgumentException.class, failure(store.restore("2", null)));
    assertNull(result(store.readCreds("2")), "nothing restored into org 2");
    assertEquals(1, result(store.archives("4")).size(), "org 4's archive untouched");
  }

  @Test
  void aRestoreRevokesTheWritersOfEarlierRuns() throws Exception {
    AuthStateWriter before = result(store.openWriter("2"));
    result(before.writeCreds(creds(2)));
    String id = idOf(result(store.clear("2", "test")));
    AuthStateWriter waiting = result(store.openWriter("2")); // a run that wrote nothing yet

    result(store.restore("2", id));
    assertTrue(waiting.isRevoked(), "the run opened before the restore may not write into it");
    assertEquals(AuthStateException.Kind.REVOKED,
        ((AuthStateException) failure(waiting.writeCreds(creds(9)))).kind());
    assertEquals(AuthStateException.Kind.REVOKED,
        ((AuthStateException) failure(before.setKeys(batch("pre-key", "1", "{}")))).kind());
    assertEquals(creds(2), result(store.readCreds("2")), "the restored creds stand");
    AuthStateWriter next = result(store.openWriter("2"));
    assertTrue(next.epoch() > waiting.epoch());
    result(next.writeCreds(creds(3)));
    assertEquals(3, result(store.readCreds("2")).getInteger("registrationId"));
  }

  protected static List<String> orgs(List<StoredSession> sessions) {
    return sessions.stream().map(StoredSession::org).toList();
  }

  private static List<String> sorted(List<String> ids) {
    return ids.stream().sorted().toList();
  }

}
