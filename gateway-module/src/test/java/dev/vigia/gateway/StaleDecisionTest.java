package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, item 6 (first point): a decision the monitor made for one state of a session ({@code
 * forSeq}) never applies to a newer state. Found by a probe: a clear sent right after a
 * {@code connection_lost} was overwritten by the monitor's late "reconnect attempt 1 scheduled".
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaleDecisionTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  @Test
  void aClearRightAfterAConnectionLossIsNotUndoneByTheMonitorsLateDecision(Vertx vertx)
      throws Exception {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.sim("2", SimRequest.FAULT, Cause.CONNECTION_LOST);
    StateChange lost = gw.next("2", SessionState.RECONNECTING);
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("2", "admin", "start over"));
    StateChange cleared = gw.next("2", SessionState.STOPPED);

    // the monitor decided for the loss, before it heard of the clear
    SettleRequest late = new SettleRequest("2", SessionState.RECONNECTING, lost.cause(),
        new SessionView.Reconnect(1, Instant.now().plusSeconds(1)), "monitor", lost.seq());
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.SETTLE, late).failureCode());
    ConnectRequest lateAttempt = new ConnectRequest("2", null, null, false, "monitor", lost.seq());
    assertEquals(Failure.WRONG_STATE,
        gw.refused(GatewayAddresses.CONNECT, lateAttempt).failureCode());

    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(SessionState.STOPPED, status.state());
    GatewayFixture.await(gw.records.flush()); // acknowledged records into their files
    JsonObject onDisk = new JsonObject(Files.readString(dataDir.resolve("sessions/2.json")));
    assertEquals("STOPPED", onDisk.getString("state"));
    assertFalse(onDisk.getBoolean("connectionWanted"), "a restart would reconnect it: " + onDisk);
    assertEquals(cleared.seq(), onDisk.getLong("seq").longValue(),
        "nothing changed after the clear");
  }

  @Test
  void aDecisionForTheCurrentStateApplies(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    gw.sim("2", SimRequest.FAULT, Cause.CONNECTION_LOST);
    StateChange lost = gw.next("2", SessionState.RECONNECTING);

    SessionView settled = gw.request(GatewayAddresses.SETTLE, new SettleRequest("2",
            SessionState.RECONNECTING, lost.cause(),
            new SessionView.Reconnect(1, Instant.now().plusSeconds(1)), "monitor", lost.seq()),
        SessionView.class);
    assertEquals(1, settled.reconnect().attempt());
    StateChange scheduled = gw.next("2", SessionState.RECONNECTING);
    assertEquals(lost.seq() + 1, scheduled.seq());

    gw.request(GatewayAddresses.CONNECT,
        new ConnectRequest("2", null, null, false, "monitor", scheduled.seq()));
    gw.next("2", SessionState.CONNECTED);
  }
}
