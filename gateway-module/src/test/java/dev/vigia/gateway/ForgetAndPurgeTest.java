package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The reaper's two gateway tools: forget an archived idle org, purge archives past retention. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForgetAndPurgeTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    if (gw != null) {
      gw.undeploy();
    }
  }

  @Test
  void aLiveOrLinkedSessionCannotBeForgottenAnArchivedOneDisappearsFromTheList(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("7");

    assertEquals(Failure.WRONG_STATE,
        gw.refused(GatewayAddresses.FORGET, new ForgetRequest("7", "test")).failureCode(),
        "a connected session is live");
    gw.request(GatewayAddresses.DISCONNECT, new JsonObject().put("org", "7").put("actor", "t"));
    assertEquals(Failure.WRONG_STATE,
        gw.refused(GatewayAddresses.FORGET, new ForgetRequest("7", "test")).failureCode(),
        "credentials must be archived first");

    gw.request(GatewayAddresses.CLEAR, new ClearRequest("7", "test", "stale"));
    gw.request(GatewayAddresses.FORGET, new ForgetRequest("7", "test"));

    SessionList list = gw.request(GatewayAddresses.LIST, new JsonObject(), SessionList.class);
    assertTrue(list.sessions().stream().noneMatch(s -> s.org().equals("7")), list.toString());
    GatewayFixture.await(gw.records.flush()); // acknowledged records into their files
    assertFalse(Files.exists(dataDir.resolve("sessions/7.json")));

    // and it stays gone after a restart
    gw.redeploy();
    list = gw.request(GatewayAddresses.LIST, new JsonObject(), SessionList.class);
    assertTrue(list.sessions().stream().noneMatch(s -> s.org().equals("7")));
    assertEquals(SessionState.STOPPED, gw.request(GatewayAddresses.STATUS,
        new JsonObject().put("org", "7"), dev.vigia.common.session.SessionView.class).state());
    list = gw.request(GatewayAddresses.LIST, new JsonObject(), SessionList.class);
    assertTrue(list.sessions().stream().noneMatch(s -> s.org().equals("7")),
        "a status query brought a forgotten org back: " + list);
  }

  @Test
  void purgeDeletesOnlyArchivesOlderThanTheCutoff(Vertx vertx) throws Exception {
    Path root = dataDir.resolve("store");
    Instant old = Instant.parse("2026-01-01T00:00:00Z");
    Instant recent = old.plus(Duration.ofDays(40));
    for (Instant at : new Instant[] {old, recent}) {
      FileAuthStateStore store = new FileAuthStateStore(vertx, root, Clock.fixed(at, ZoneOffset.UTC));
      GatewayFixture.await(store.open());
      GatewayFixture.await(store.writeCreds("9", new JsonObject().put("registrationId", 1)));
      GatewayFixture.await(store.clear("9", "test"));
      // one store per data dir at a time, as in production (the data-dir lock)
      GatewayFixture.await(store.close());
    }
    FileAuthStateStore store = new FileAuthStateStore(vertx, root, Clock.systemUTC());
    GatewayFixture.await(store.open());
    // each archive is a folder with its note (why, who) beside it
    try (var s = Files.list(root.resolve("archive/9"))) {
      assertEquals(4, s.count());
    }

    assertEquals(1, (int) GatewayFixture.await(store.purgeArchives(old.plus(Duration.ofDays(30)))));
    try (var s = Files.list(root.resolve("archive/9"))) {
      assertEquals(2, s.count(), "the recent archive and its note stay, the old note went too");
    }
    GatewayFixture.await(store.close());

    // over the bus
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    PurgeResult none = gw.request(GatewayAddresses.PURGE_ARCHIVES,
        new PurgeArchivesRequest(Instant.now()), PurgeResult.class);
    assertEquals(0, none.purged());
    assertEquals(Failure.BAD_INPUT,
        gw.refused(GatewayAddresses.PURGE_ARCHIVES, new JsonObject()).failureCode());
  }
}
