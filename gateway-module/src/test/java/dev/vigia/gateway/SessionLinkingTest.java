package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.store.BufferJson;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionLinkingTest {

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
  void theQrRotatesAndWhenNobodyScansTheSessionStops(Vertx vertx) {
    gw = new GatewayFixture(vertx, dataDir, 150, 100, 3);
    gw.deploy();
    gw.watch("2");

    SessionView reply = gw.connect("2");
    assertTrue(reply.state() == SessionState.STARTING || reply.state() == SessionState.QR_REQUIRED);
    StateChange starting = gw.nextOwn("2", SessionState.STARTING);
    StateChange first = gw.nextOwn("2", SessionState.QR_REQUIRED);
    StateChange second = gw.nextOwn("2", SessionState.QR_REQUIRED);
    StateChange third = gw.nextOwn("2", SessionState.QR_REQUIRED);
    StateChange stopped = gw.nextOwn("2", SessionState.STOPPED);

    assertEquals(SessionState.STARTING, first.from());
    assertEquals(SessionState.QR_REQUIRED, second.from());
    for (StateChange qr : List.of(first, second, third)) {
      String[] parts = qr.qr().payload().split(",");
      assertEquals(4, parts.length, "ref,noiseKey,identityKey,advSecret");
      assertTrue(parts[0].startsWith("2@"));
      assertNotNull(qr.qr().expiresAt());
    }
    assertNotEquals(first.qr().payload(), second.qr().payload());
    assertNotEquals(second.qr().payload(), third.qr().payload());
    // only the ref rotates; the keys are those of one future device
    assertEquals(first.qr().payload().substring(first.qr().payload().indexOf(',')),
        third.qr().payload().substring(third.qr().payload().indexOf(',')));
    assertEquals(408, stopped.cause().code());
    assertEquals(Cause.QR_EXPIRED, stopped.cause().reason());
    assertEquals(List.of(starting.seq() + 1, starting.seq() + 2, starting.seq() + 3,
        starting.seq() + 4), List.of(first.seq(), second.seq(), third.seq(), stopped.seq()));

    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(SessionState.STOPPED, status.state());
    assertNull(status.qr());
    assertNull(GatewayFixture.await(gw.store.readCreds("2")), "nothing stored without a scan");
  }

  @Test
  void statusShowsThePendingQr(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.watch("7");
    gw.connect("7");
    StateChange qr = gw.nextOwn("7", SessionState.QR_REQUIRED);
    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("7"),
        SessionView.class);
    assertEquals(SessionState.QR_REQUIRED, status.state());
    assertEquals(qr.qr().payload(), status.qr().payload());
    SessionView again = gw.connect("7");
    assertEquals(SessionState.QR_REQUIRED, again.state(), "connect while live is idempotent");
  }

  @Test
  void aScanAnswersRestartRequiredAndTheNextConnectIsConnectedWithMe(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.connect("2");
    gw.next("2", SessionState.QR_REQUIRED);

    gw.sim("2", SimRequest.SCAN, null);
    StateChange restart = gw.next("2", SessionState.RECONNECTING);
    assertEquals(Cause.restartRequired(), restart.cause());
    assertNull(restart.reconnect(), "the gateway schedules nothing: the monitor decides");

    JsonObject creds = GatewayFixture.await(gw.store.readCreds("2"));
    assertTrue(creds.getBoolean("registered"));
    String jid = creds.getJsonObject("me").getString("id");
    assertTrue(jid.matches("\\d+:\\d+@s\\.whatsapp\\.net"), jid);
    assertEquals(32, BufferJson.decode(creds.getJsonObject("noiseKey").getJsonObject("public")).length);
    assertEquals(5, gw.store.keys("2", "pre-key").size());

    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(SessionState.RECONNECTING, status.state(), "still waiting for the monitor");

    gw.reconnectAsMonitor("2");
    StateChange connected = gw.next("2", SessionState.CONNECTED);
    assertEquals(jid, connected.me().jid());
    SessionView view = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(SessionState.CONNECTED, view.state());
    assertEquals(jid, view.me().jid());
    assertNotNull(view.lastConnectedAt());
    assertNull(view.qr());
  }

  @Test
  void aPairingCodeTypedOnThePhoneLinksThatNumber(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.watch("4");
    gw.request(GatewayAddresses.CONNECT,
        new ConnectRequest("4", ConnectRequest.PAIRING_CODE, "+52 1555 000 4444", false, "test"));
    StateChange code = gw.nextOwn("4", SessionState.PAIRING_CODE);
    assertTrue(code.pairingCode().code().matches("[A-HJKMNP-Z2-9]{8}"), code.pairingCode().code());
    assertNull(code.qr());

    gw.sim("4", SimRequest.SCAN, null);
    gw.next("4", SessionState.RECONNECTING);
    gw.reconnectAsMonitor("4");
    StateChange connected = gw.next("4", SessionState.CONNECTED);
    assertTrue(connected.me().jid().startsWith("5215550004444:"), connected.me().jid());
  }

  @Test
  void aConnectedSessionComesBackConnectedAfterARestartWithoutAQr(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    StateChange before = gw.link("2");
    gw.connect("9");
    gw.next("9", SessionState.QR_REQUIRED);

    gw.redeploy();

    StateChange after = gw.next("2", SessionState.CONNECTED);
    assertEquals(before.me(), after.me());
    assertTrue(after.seq() > before.seq(), "seq keeps growing across restarts");
    assertFalse(gw.changes.all().stream()
            .anyMatch(c -> c.org().equals("2") && c.seq() > before.seq()
                && c.to() == SessionState.QR_REQUIRED),
        "no QR after the restart");
    StateChange nine = gw.next("9", SessionState.STOPPED);
    assertEquals(Cause.RESTORED, nine.cause().reason(), "a QR nobody linked is not resumed");
    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(SessionState.CONNECTED, status.state());
  }

  @Test
  void clearArchivesTheAuthStateAndTheNextConnectShowsANewQr(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    StateChange linked = gw.link("2");
    JsonObject creds = GatewayFixture.await(gw.store.readCreds("2"));

    ClearResult result = gw.request(GatewayAddresses.CLEAR,
        new ClearRequest("2", "admin", "corrupt session"), ClearResult.class);
    assertNotNull(result.archivedTo());
    assertEquals(SessionState.STOPPED, result.session().state());
    assertEquals(Cause.USER_REQUEST, result.session().cause().reason());
    StateChange stopped = gw.next("2", SessionState.STOPPED);
    assertEquals(SessionState.CONNECTED, stopped.from());
    assertEquals(linked.seq() + 1, stopped.seq());
    assertNull(GatewayFixture.await(gw.store.readCreds("2")), "no live creds remain");
    assertEquals(creds, gw.store.archived(result.archivedTo()).creds(), "archived, not destroyed");

    gw.watch("2");
    gw.connect("2");
    StateChange qr = gw.nextOwn("2", SessionState.QR_REQUIRED);
    assertNotNull(qr.qr().payload());
  }

  @Test
  void clearingAnOrgNeverSeenArchivesNothingAndAddsNoSession(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    ClearResult result = gw.request(GatewayAddresses.CLEAR,
        new ClearRequest("never-seen", "admin", null), ClearResult.class);
    assertNull(result.archivedTo());
    assertEquals(SessionState.STOPPED, result.session().state());

    SessionList list = gw.request(GatewayAddresses.LIST, new ListRequest(), SessionList.class);
    assertTrue(list.sessions().isEmpty(), "a clear created a session: " + list);
    assertTrue(gw.changes.all().isEmpty(), "a clear of nothing published a change");
    GatewayFixture.await(gw.records.flush()); // acknowledged records into their files
    assertFalse(Files.exists(dataDir.resolve("sessions/never-seen.json")));
  }

  @Test
  void theQrAndThePairingCodeTravelOnlyOnTheOrgsOwnAddress(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    EventLog<StateChange> own = GatewayFixture.await(
        EventLog.listen(vertx, StateChange.addressFor("2"), StateChange.class));
    gw.connect("2");
    StateChange forAll = gw.next("2", SessionState.QR_REQUIRED);
    StateChange forOrg = GatewayFixture.await(own.next(c -> c.to() == SessionState.QR_REQUIRED));
    assertNull(forAll.qr(), "the QR (it holds advSecretKey) went to every org's listeners");
    assertNotNull(forOrg.qr().payload());
    assertEquals(forOrg.seq(), forAll.seq());

    gw.request(GatewayAddresses.CONNECT,
        new ConnectRequest("3", ConnectRequest.PAIRING_CODE, "5215550003333", false, "u"));
    assertNull(gw.next("3", SessionState.PAIRING_CODE).pairingCode(),
        "the pairing code went to every org's listeners");
    GatewayFixture.await(own.close());
  }

  @Test
  void clearWhileTheQrIsShownStopsIt(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.connect("3");
    gw.next("3", SessionState.QR_REQUIRED);
    ClearResult result = gw.request(GatewayAddresses.CLEAR, new ClearRequest("3", "admin", null),
        ClearResult.class);
    assertEquals(SessionState.STOPPED, result.session().state());
    assertNull(result.session().qr());
  }
}
