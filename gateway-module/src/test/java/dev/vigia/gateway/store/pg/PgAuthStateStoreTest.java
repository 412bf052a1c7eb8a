package dev.vigia.gateway.store.pg;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSchema;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.common.time.ManualClock;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateStoreContractTest;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth-state contract against a real PostgreSQL (one database for the class, emptied before
 * each test), plus what only a shared database can show: fencing between processes, LIKE
 * wildcards in prefixes, the archive's rows.
 */
class PgAuthStateStoreTest extends AuthStateStoreContractTest {

  static final Instant NOW = Instant.parse("2026-11-28T08:06:21.123Z");

  static PgSettings db;

  /** The contract's list test compares last writes with the real time. */
  final Clock clock = Clock.systemUTC();
  Vertx vertx;
  Pool pool;

  @TempDir Path work;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newDatabase();
    PgSchema.migrate(db);
  }

  @Override
  protected AuthStateStore newStore(Vertx vertx) {
    this.vertx = vertx;
    TestPostgres.execute(db, "TRUNCATE org CASCADE");
    pool = newPool(vertx);
    return new PgAuthStateStore(vertx, pool, clock);
  }

  static Pool newPool(Vertx vertx) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(db.connectOptions()).using(vertx).build();
  }

  @Override
  protected void assertNothingStored() throws Exception {
    long rows = result(pool.query("SELECT (SELECT count(*) FROM org) + (SELECT count(*) FROM"
        + " session_lease) + (SELECT count(*) FROM auth_state) + (SELECT count(*) FROM auth_key)"
        + " + (SELECT count(*) FROM auth_archive) + (SELECT count(*) FROM auth_archive_key)")
        .execute()).iterator().next().getLong(0);
    assertEquals(0, rows, "nothing may be written for refused input");
  }

  @Override
  protected String unusedArchiveId() {
    return "999999";
  }

  @Test
  void aRunReplacedByAnotherProcessWritesNothing() throws Exception {
    // another node (its own pool and store) opens a newer run of org 2
    AuthStateStore other = new PgAuthStateStore(vertx, newPool(vertx), clock);
    AuthStateWriter stale = result(store.openWriter("2"));
    AuthStateWriter newer = result(other.openWriter("2"));
    assertTrue(newer.epoch() > stale.epoch());

    AuthStateException refused = assertInstanceOf(AuthStateException.class,
        failure(stale.setKeys(batch("pre-key", "1", "{\"stale\":true}"))));
    assertEquals(Kind.REVOKED, refused.kind());
    assertEquals(Kind.REVOKED, ((AuthStateException) failure(stale.writeCreds(creds(1)))).kind());
    assertTrue(stale.isRevoked(), "a writer the database refused stays revoked");
    assertTrue(result(store.getKeys("2", "pre-key", List.of("1"))).isEmpty(), "the stale key was not written");
    assertNull(result(store.readCreds("2")));
    assertTrue(result(store.list()).isEmpty(), "nothing created for the org");

    result(newer.writeCreds(creds(2)));
    assertEquals(creds(2), result(store.readCreds("2")), "the newer run writes");
  }

  @Test
  void aClearByAnotherProcessFencesThisProcessRun() throws Exception {
    AuthStateStore other = new PgAuthStateStore(vertx, newPool(vertx), clock);
    AuthStateWriter run = result(store.openWriter("2"));
    result(run.writeCreds(creds(2)));
    result(other.clear("2", "cleared on another node"));

    assertEquals(Kind.REVOKED, ((AuthStateException) failure(
        run.setKeys(batch("session", "5215550000001.0", "{}")))).kind());
    assertNull(result(store.readCreds("2")), "the cleared session did not come back");
    assertTrue(result(store.list()).isEmpty());
  }

  @Test
  void prefixWildcardsMatchOnlyThemselves() throws Exception {
    Map<String, String> sessions = new LinkedHashMap<>();
    for (String id : List.of("a_b.0", "axb.0", "a%c.0", "abc.0", "a.0")) {
      sessions.put(id, "{}");
    }
    result(store.setKeys("2", Map.of("session", sessions)));
    assertEquals(List.of("a_b.0"), result(store.keyIds("2", "session", "a_")));
    assertEquals(List.of("a%c.0"), result(store.keyIds("2", "session", "a%")));
    assertEquals(List.of(), result(store.keyIds("2", "session", "a\\")));
    assertEquals(5, result(store.keyIds("2", "session", "a")).size());
  }

  @Test
  void valuesComeBackByteForByteAndIdsAliasAsOnDisk() throws Exception {
    String odd = "{ \"a\" : 1.50e0,\n\t\"b\":\"ñé \\u00f1 😀\", \"c\" : [ ], \"a\" : null }";
    result(store.setKeys("2", batch("session", "5215550001111:3.0", odd)));
    assertEquals(odd, result(store.getKeys("2", "session", List.of("5215550001111:3.0")))
        .get("5215550001111:3.0"), "the text exactly as written: spacing, numbers, escapes");
    assertEquals(odd, result(store.getKeys("2", "session", List.of("5215550001111-3.0")))
        .get("5215550001111-3.0"), "':' and '-' name one key, as in Baileys' file names");
    assertEquals(List.of("5215550001111-3.0"), result(store.keyIds("2", "session", "")));
  }

  @Test
  void clearMovesEveryRowIntoTheArchiveAndPurgeRemovesOnlyOldArchives() throws Exception {
    ManualClock clock = new ManualClock(NOW);
    AuthStateStore store = new PgAuthStateStore(vertx, pool, clock);
    result(store.writeCreds("2", creds(2)));
    result(store.setKeys("2", Map.of("pre-key", Map.of("1", "{\"k\":1}", "2", "{\"k\":2}"))));
    String first = result(store.clear("2", "first"));
    clock.advance(Duration.ofDays(10));
    result(store.setKeys("2", batch("pre-key", "3", "{\"k\":3}")));
    String second = result(store.clear("2", "second"));
    assertTrue(first.startsWith("archive/2/") && !first.equals(second), first + " " + second);
    assertEquals(3, count("auth_archive_key"), "every key is in an archive");
    assertEquals(0, count("auth_key"));

    assertEquals(1, result(store.purgeArchives(NOW.plus(Duration.ofDays(1)))));
    assertEquals(1, count("auth_archive"));
    assertEquals(1, count("auth_archive_key"), "the purged archive's keys went with it");
    assertEquals(0, result(store.purgeArchives(NOW)));
  }

  @Test
  void aBaileysFolderImportsByteForByteAndOnlyIntoAnEmptyOrg() throws Exception {
    Path folder = Files.createDirectories(work.resolve("auth_sessions/2"));
    String credsText = creds(2).encodePrettily();
    String senderKey = "{\"type\":\"Buffer\",\"data\":\"W3sic2VuZGVy\"}";
    Files.writeString(folder.resolve("creds.json"), credsText);
    Files.writeString(folder.resolve("pre-key-1.json"), "{ \"private\" : {\"type\":\"Buffer\",\"data\":\"uDGa\"} }");
    Files.writeString(folder.resolve("sender-key-120363000000000001@g.us--5215550000001--0.json"), senderKey);
    Files.writeString(folder.resolve("app-state-sync-key-AAAAAFx__ab+c.json"), "{\"keyData\":\"H4\"}");

    AuthStateStore.ImportReport report = result(store.importBaileysFolder("2", folder));
    assertEquals(4, report.files());
    assertEquals(Map.of("creds", 1, "pre-key", 1, "sender-key", 1, "app-state-sync-key", 1),
        report.byType());
    assertEquals("{ \"private\" : {\"type\":\"Buffer\",\"data\":\"uDGa\"} }",
        result(store.getKeys("2", "pre-key", List.of("1"))).get("1"));
    assertEquals(senderKey, result(store.getKeys("2", "sender-key", List.of(SENDER_KEY_ID)))
        .get(SENDER_KEY_ID), "the sender key under Baileys' own id");
    assertEquals("{\"keyData\":\"H4\"}", result(store.getKeys("2", "app-state-sync-key",
        List.of(APP_STATE_KEY_ID))).get(APP_STATE_KEY_ID));
    assertEquals(credsText, text("SELECT creds FROM auth_state WHERE org = '2'"),
        "creds.json's text as it was");

    assertEquals(Kind.CONFLICT, ((AuthStateException) failure(
        store.importBaileysFolder("2", folder))).kind(), "never over existing state");

    Files.writeString(folder.resolve("session-5215550001111.0.json"), "{\"truncated\":");
    AuthStateException corrupt = (AuthStateException) failure(store.importBaileysFolder("4", folder));
    assertEquals(Kind.INVALID, corrupt.kind());
    assertTrue(corrupt.getMessage().contains("session-5215550001111.0.json"), corrupt.getMessage());
    assertTrue(result(store.keyIds("4", "pre-key", "")).isEmpty(), "nothing of a bad folder");
  }

  @Test
  void aFolderThatIsNotUtf8IsRefused() throws Exception {
    Path folder = Files.createDirectories(work.resolve("latin1"));
    Files.writeString(folder.resolve("creds.json"), creds(2).encode());
    Files.write(folder.resolve("pre-key-1.json"), "{\"n\":\"ñ\"}".getBytes(StandardCharsets.ISO_8859_1));
    AuthStateException e = (AuthStateException) failure(store.importBaileysFolder("2", folder));
    assertEquals(Kind.INVALID, e.kind());
    assertNothingStored();
  }

  @Test
  void everyAnswerArrivesOnTheContextThatAsked() throws Exception {
    Context asking = vertx.getOrCreateContext();
    List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(10);
    asking.runOnContext(v -> {
      List<io.vertx.core.Future<?>> calls = List.of(store.writeCreds("2", creds(2)),
          store.readCreds("2"), store.setKeys("2", batch("pre-key", "1", "{}")),
          store.getKeys("2", "pre-key", List.of("1")), store.keyIds("2", "pre-key", ""),
          store.list(), store.probe(), store.openWriter("2"), store.clear("2", "context"),
          store.purgeArchives(NOW));
      for (int i = 0; i < calls.size(); i++) {
        int call = i;
        calls.get(i).onComplete(ar -> {
          if (Vertx.currentContext() != asking || ar.failed()) {
            wrong.add("call " + call + (ar.failed() ? " failed: " + ar.cause() : " on " + Vertx.currentContext()));
          }
          done.countDown();
        });
      }
    });
    assertTrue(done.await(20, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(List.of(), wrong, "state owned by the caller's context is only touched there");
  }

  private long count(String table) throws Exception {
    return result(pool.query("SELECT count(*) FROM " + table).execute()).iterator().next()
        .getLong(0);
  }

  private String text(String sql) throws Exception {
    return result(pool.query(sql).execute()).iterator().next().getString(0);
  }
}
