package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConflictTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  @Test
  void aSecondClientWithTheSameCredentialsEvictsTheFirstWithConflict(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    StateChange linked = gw.link("2");
    // the old Node server still running with a copy of auth_sessions/2: same device, two clients
    GatewayFixture.await(gw.store.readCreds("2").compose(creds -> gw.store.writeCreds("copy", creds)));

    gw.connect("copy");
    assertEquals(linked.me(), gw.next("copy", SessionState.CONNECTED).me());
    StateChange conflict = gw.next("2", SessionState.CONFLICT);
    assertEquals(440, conflict.cause().code());
    assertEquals(SessionState.CONNECTED, conflict.from());
  }

  @Test
  void conflictIsNeverRetriedAutomaticallyAndOnlyATakeOverEndsIt(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    GatewayFixture.await(gw.store.readCreds("2").compose(creds -> gw.store.writeCreds("copy", creds)));
    gw.connect("copy");
    gw.next("2", SessionState.CONFLICT);

    ReplyException refused = gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "qr", null, false, "monitor"));
    assertEquals(Failure.WRONG_STATE, refused.failureCode());
    assertTrue(refused.getMessage().contains("take over"), refused.getMessage());
    assertEquals(SessionState.CONFLICT, status("2").state(), "nothing reconnected by itself");

    SessionView takeover = gw.request(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "qr", null, true, "operator"), SessionView.class);
    assertTrue(takeover.state() == SessionState.STARTING
        || takeover.state() == SessionState.CONNECTED);
    gw.next("2", SessionState.CONNECTED);
    assertEquals(440, gw.next("copy", SessionState.CONFLICT).cause().code(),
        "the other client is the one evicted now");
  }

  @Test
  void aBannedAccountCannotConnect(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.sim("2", "fault", "banned");
    gw.next("2", SessionState.BANNED);
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "qr", null, false, "monitor")).failureCode());
  }

  private SessionView status(String org) {
    return gw.request(GatewayAddresses.STATUS, new StatusRequest(org), SessionView.class);
  }
}
