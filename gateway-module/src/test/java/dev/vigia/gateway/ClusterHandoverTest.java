package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's hand-over of one org (the record and the auth state shared, as in PostgreSQL):
 * the node that lets the org go ends its run, the node that takes it resumes what the record
 * says was wanted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterHandoverTest {

  @TempDir
  Path dataDir;

  @Test
  void aSessionTakenOverWhileBeingLinkedShowsANewQrOnTheNewNode(Vertx vertx) {
    GatewayFixture gw = GatewayFixture.linking(vertx, dataDir);
    gw.deployClustered("node-a");
    gw.request(NodeAddresses.local(GatewayAddresses.CONNECT),
        new ConnectRequest("7", ConnectRequest.QR, null, false, "test"));
    gw.next("7", SessionState.QR_REQUIRED);

    // the spread moves it while its QR is shown: this node lets it go, another takes it
    gw.request(NodeAddresses.RELEASE, new JsonObject().put("org", "7"));
    gw.undeploy();
    gw.deployClustered("node-b");
    gw.request(NodeAddresses.ADOPT, new JsonObject().put("org", "7"));

    StateChange resumed = after(gw, "7", SessionState.STARTING, 0);
    assertEquals(Cause.RESTORED, resumed.cause().reason());
    // not STOPPED "connect again": the link goes on with a new QR
    after(gw, "7", SessionState.QR_REQUIRED, resumed.seq());
  }

  /** The org's first change to {@code to} after {@code seq}, restored ones for seq 0. */
  private static StateChange after(GatewayFixture gw, String org, SessionState to, long seq) {
    return GatewayFixture.await(gw.changes.next(c -> c.org().equals(org) && c.to() == to
        && (seq > 0 ? c.seq() > seq : Cause.RESTORED.equals(c.cause().reason()))));
  }

  @Test
  void aLinkedSessionTakenOverConnectsOnTheNewNode(Vertx vertx) {
    GatewayFixture gw = GatewayFixture.linking(vertx, dataDir);
    gw.deployClustered("node-a");
    gw.request(NodeAddresses.local(GatewayAddresses.CONNECT),
        new ConnectRequest("8", ConnectRequest.QR, null, false, "test"));
    gw.next("8", SessionState.QR_REQUIRED);
    gw.request(NodeAddresses.local(GatewayAddresses.SIM),
        new dev.vigia.common.gateway.SimRequest("8", dev.vigia.common.gateway.SimRequest.SCAN,
            null, null, null));
    gw.next("8", SessionState.RECONNECTING); // the 515 after a scan; the monitor's part:
    gw.request(NodeAddresses.local(GatewayAddresses.CONNECT),
        new ConnectRequest("8", null, null, false, "monitor"));
    gw.next("8", SessionState.CONNECTED);

    gw.request(NodeAddresses.RELEASE, new JsonObject().put("org", "8"));
    gw.undeploy();
    gw.deployClustered("node-b");
    gw.request(NodeAddresses.ADOPT, new JsonObject().put("org", "8"));
    after(gw, "8", SessionState.CONNECTED, after(gw, "8", SessionState.STARTING, 0).seq());
  }
}
