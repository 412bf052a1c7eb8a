package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ArchiveList;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.gateway.ArchivesRequest;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.RestoreRequest;
import dev.vigia.common.gateway.RestoreResult;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undo a clear at the gateway (issue 9): the archive comes back and the session starts from it,
 * {@code CONNECTED} without a QR while WhatsApp still knows the device, {@code LOGGED_OUT} saying
 * so when it does not; never over a live session or live state.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchiveRestoreTest {

  @TempDir Path dataDir;
  GatewayFixture gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
  }

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  List<ArchivedState> archives(String org) {
    return gw.request(GatewayAddresses.ARCHIVES, new ArchivesRequest(org), ArchiveList.class)
        .archives();
  }

  /** The change to STARTING a restore makes: its cause says which archive and who. */
  StateChange restoring(String org) {
    return GatewayFixture.await(gw.changes.next(c -> c.org().equals(org)
        && c.to() == SessionState.STARTING && c.cause() != null
        && Cause.ARCHIVE_RESTORED.equals(c.cause().reason())));
  }

  @Test
  void aClearedLoginComesBackConnectedWithoutANewQr() {
    StateChange linked = gw.link("2");
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("2", "user:ana", "clear requested over HTTP"));
    gw.next("2", SessionState.STOPPED);

    List<ArchivedState> archives = archives("2");
    assertEquals(1, archives.size());
    ArchivedState archive = archives.get(0);
    assertEquals("user:ana", archive.actor());
    assertEquals("clear requested over HTTP", archive.reason());
    assertTrue(archive.linked());
    assertEquals(linked.me().jid().split(":")[0], archive.phone());

    int before = gw.changes.all().size();
    RestoreResult restored = gw.request(GatewayAddresses.RESTORE,
        new RestoreRequest("2", archive.id(), "user:luis"), RestoreResult.class);
    assertEquals(archive.id(), restored.restoredFrom());
    StateChange starting = restoring("2");
    assertTrue(starting.cause().message().contains(archive.id())
        && starting.cause().message().contains("user:luis"), starting.cause().message());
    StateChange connected = gw.next("2", SessionState.CONNECTED);
    assertEquals(linked.me().jid(), connected.me().jid(), "the same device, linked before");
    List<StateChange> since = gw.changes.all();
    assertTrue(since.subList(before, since.size()).stream()
        .noneMatch(c -> c.to() == SessionState.QR_REQUIRED), "no QR on the way back");
    assertTrue(archives("2").isEmpty(), "the restored archive left the list");
  }

  @Test
  void aRestoreIsRefusedWhileTheSessionIsLiveOrTheOrgHoldsCredentials() {
    gw.link("2");
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("2", "user:ana", "test"));
    gw.next("2", SessionState.STOPPED);
    String id = archives("2").get(0).id();

    gw.connect("2");
    gw.next("2", SessionState.QR_REQUIRED);
    var live = gw.refused(GatewayAddresses.RESTORE, new RestoreRequest("2", id, "user:ana"));
    assertEquals(409, live.failureCode());
    assertTrue(live.getMessage().contains("QR_REQUIRED"), live.getMessage());

    // a scan links another device: CONNECTED, and the state is live
    gw.sim("2", SimRequest.SCAN, null);
    gw.next("2", SessionState.RECONNECTING);
    gw.reconnectAsMonitor("2");
    gw.next("2", SessionState.CONNECTED);
    assertEquals(409, gw.refused(GatewayAddresses.RESTORE,
        new RestoreRequest("2", id, "user:ana")).failureCode());

    // disconnected: not live, but its credentials are kept, and a restore never overwrites them
    gw.request(GatewayAddresses.DISCONNECT, new DisconnectRequest("2", "user:ana"));
    gw.next("2", SessionState.STOPPED);
    var held = gw.refused(GatewayAddresses.RESTORE, new RestoreRequest("2", id, "user:ana"));
    assertEquals(409, held.failureCode());
    assertTrue(held.getMessage().contains("already has auth state"), held.getMessage());
    assertEquals(1, archives("2").size(), "the archive is still there");
  }

  @Test
  void anArchiveWithoutALoginAnUnknownOneAndABadIdAreRefused() {
    JsonObject neverLinked = new JsonObject().put("registered", false).put("registrationId", 7);
    GatewayFixture.await(gw.store.writeCreds("4", neverLinked));
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("4", "user:ana", "test"));
    ArchivedState unlinked = archives("4").get(0);
    assertFalse(unlinked.linked());

    var nothing = gw.refused(GatewayAddresses.RESTORE,
        new RestoreRequest("4", unlinked.id(), "user:ana"));
    assertEquals(409, nothing.failureCode());
    assertTrue(nothing.getMessage().contains("no linked login"), nothing.getMessage());
    assertEquals(404, gw.refused(GatewayAddresses.RESTORE,
        new RestoreRequest("4", "999", "user:ana")).failureCode());
    for (String bad : List.of("..", "../2/1", "a/b", ".x", "")) {
      assertEquals(400, gw.refused(GatewayAddresses.RESTORE,
          new RestoreRequest("4", bad, "user:ana")).failureCode(), bad);
    }
    assertEquals(400, gw.refused(GatewayAddresses.ARCHIVES, new ArchivesRequest("../2"))
        .failureCode());
    assertNull(GatewayFixture.await(gw.store.readCreds("4")), "nothing restored");
  }

  @Test
  void aLoginWhatsAppNoLongerAcceptsEndsLoggedOutSayingSo() {
    gw.link("2");
    // the phone removes the device: 401, the gateway archives the dead credentials
    gw.sim("2", SimRequest.FAULT, Cause.LOGGED_OUT);
    gw.next("2", SessionState.LOGGED_OUT);
    ArchivedState dead = archives("2").get(0);
    assertEquals(Cause.LOGGED_OUT, dead.reason());
    assertEquals(EngineRuns.ACTOR, dead.actor());
    assertTrue(dead.linked(), "it still looks like a login: only WhatsApp can say it is dead");

    gw.request(GatewayAddresses.RESTORE, new RestoreRequest("2", dead.id(), "user:ana"));
    restoring("2");
    StateChange refused = gw.next("2", SessionState.LOGGED_OUT);
    assertEquals(401, refused.cause().code());
    assertEquals(Cause.LOGGED_OUT, refused.cause().reason());
    assertTrue(refused.cause().message().contains("no longer accepts the restored login"),
        refused.cause().message());
    List<ArchivedState> after = archives("2");
    assertEquals(1, after.size(), "archived again, as every 401 is");
    assertEquals(Cause.LOGGED_OUT, after.get(0).reason());
    assertNull(GatewayFixture.await(gw.store.readCreds("2")), "no dead credentials stay live");
  }
}
