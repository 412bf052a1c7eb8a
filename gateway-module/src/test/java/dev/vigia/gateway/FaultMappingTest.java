package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultMappingTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  private record Expected(SessionState state, Integer code) {}

  @Test
  void everyFaultOfAConnectedSessionEndsInTheStateThatStatesTheFact(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    Map<String, Expected> table = new LinkedHashMap<>();
    table.put("connection_lost", new Expected(SessionState.RECONNECTING, 408));
    table.put("connection_closed", new Expected(SessionState.RECONNECTING, 428));
    table.put("restart_required", new Expected(SessionState.RECONNECTING, 515));
    table.put("bad_session", new Expected(SessionState.RECONNECTING, 500));
    table.put("unavailable", new Expected(SessionState.RECONNECTING, 503));
    table.put("conflict", new Expected(SessionState.CONFLICT, 440));
    table.put("logged_out", new Expected(SessionState.LOGGED_OUT, 401));
    table.put("banned", new Expected(SessionState.BANNED, 403));
    table.put("outdated", new Expected(SessionState.FAILED, 405));

    List<String> wrong = new ArrayList<>();
    table.forEach((kind, expected) -> {
      String org = "f-" + kind.replace('_', '-');
      gw.link(org);
      gw.sim(org, SimRequest.FAULT, kind);
      StateChange change = GatewayFixture.await(gw.changes.next(
          c -> c.org().equals(org) && c.from() == SessionState.CONNECTED));
      if (change.to() != expected.state() || !expected.code().equals(change.cause().code())) {
        wrong.add(kind + " -> " + change.to() + " " + change.cause());
      }
      assertNull(change.reconnect(), "the gateway never schedules a reconnect");
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void aLogoutByThePhoneArchivesTheCredentialsAndTheNextConnectLinksAnew(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.sim("2", SimRequest.FAULT, Cause.LOGGED_OUT);
    assertEquals(401, gw.next("2", SessionState.LOGGED_OUT).cause().code());
    SessionView status = status("2");
    assertEquals(SessionState.LOGGED_OUT, status.state());
    assertNull(GatewayFixture.await(gw.store.readCreds("2")), "dead credentials archived");

    gw.watch("2");
    gw.reconnectAsMonitor("2");
    assertNotNull(gw.nextOwn("2", SessionState.QR_REQUIRED).qr());
  }

  @Test
  void aLogoutByThePhoneWhoseCredentialsCannotBeArchivedEndsFailedWithThatCause(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.store.failClear("disk full");

    gw.sim("2", SimRequest.FAULT, Cause.LOGGED_OUT);
    StateChange failed = gw.next("2", SessionState.FAILED);
    assertEquals(Cause.ARCHIVE_FAILED, failed.cause().reason());
    assertTrue(gw.changes.all().stream().noneMatch(c -> c.to() == SessionState.LOGGED_OUT),
        "LOGGED_OUT says the credentials are archived; they are not");
    assertNotNull(GatewayFixture.await(gw.store.readCreds("2")), "the dead creds are still live");
    assertEquals(SessionState.FAILED, status("2").state());
  }

  @Test
  void aLinkWhoseCredentialsCannotBeSavedEndsTheRunWithThatCause(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.connect("2");
    gw.next("2", SessionState.QR_REQUIRED);
    gw.store.failWrites("disk full");

    gw.sim("2", SimRequest.SCAN, null);
    StateChange closed = gw.next("2", SessionState.RECONNECTING);
    assertEquals(Cause.CREDS_WRITE_FAILED, closed.cause().reason(), "the monitor retries it");
    assertNull(GatewayFixture.await(gw.store.readCreds("2")), "nothing half-linked was kept");
  }

  @Test
  void removedDeviceCredentialsGetLoggedOutOnTheNextStart(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    StateChange linked = gw.link("2");
    GatewayFixture.await(gw.store.readCreds("2").compose(c -> gw.store.writeCreds("stale", c)));
    gw.whatsApp.removeDevice(linked.me().jid());
    gw.connect("stale");
    assertEquals(401, gw.next("stale", SessionState.LOGGED_OUT).cause().code());
  }

  @Test
  void badMacIsReportedPerContactAndTheSessionStaysConnected(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.request(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.FAULT, Cause.BAD_MAC, "5215550001111", 3));
    for (int i = 0; i < 3; i++) {
      Activity a = GatewayFixture.await(gw.activities.next(x -> x.org().equals("2")));
      assertEquals(Activity.DECRYPT_FAILURE, a.kind());
      assertEquals("5215550001111", a.contact());
    }
    assertEquals(SessionState.CONNECTED, status("2").state());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.FAULT, Cause.BAD_MAC, null, 3)).failureCode());
  }

  @Test
  void networkDownDropsEveryConnectionAndNewStartsFailUntilItIsUp(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("a");
    gw.link("b");
    gw.sim("a", SimRequest.FAULT, Cause.NETWORK_DOWN);
    for (String org : List.of("a", "b")) {
      StateChange down = gw.next(org, SessionState.RECONNECTING);
      assertEquals(Cause.NETWORK_DOWN, down.cause().reason());
      assertNull(down.cause().code());
    }
    gw.reconnectAsMonitor("a");
    assertEquals(Cause.NETWORK_DOWN, gw.next("a", SessionState.RECONNECTING).cause().reason(),
        "a start while the network is down fails the same way");

    gw.sim("a", SimRequest.FAULT, Cause.NETWORK_UP);
    gw.reconnectAsMonitor("a");
    gw.reconnectAsMonitor("b");
    gw.next("a", SessionState.CONNECTED);
    gw.next("b", SessionState.CONNECTED);
  }

  @Test
  void simControlRefusesUnknownFaultsAndSessionsWithoutConnection(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.FAULT, "meteor", null, null)).failureCode());
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.FAULT, Cause.CONNECTION_LOST, null, null)).failureCode());
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.SCAN, null, null, null)).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", "dance", null, null, null)).failureCode());
    assertTrue(gw.changes.all().isEmpty(), "refused controls change nothing");
  }

  private SessionView status(String org) {
    return gw.request(GatewayAddresses.STATUS, new StatusRequest(org), SessionView.class);
  }
}
