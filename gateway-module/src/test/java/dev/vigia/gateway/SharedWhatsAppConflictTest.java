package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.simulated.SharedWhatsAppServer;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.engine.simulated.SimulatedWhatsApp;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways, each in its own Vert.x with its own stores (two nodes), on one shared simulated
 * WhatsApp: the node that logs in second with an org's credentials evicts the first with 440, as
 * WhatsApp would; the engine the app builds from {@code VIGIA_SIM_WHATSAPP} is such a node.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedWhatsAppConflictTest {

  @TempDir
  Path dirA;
  @TempDir
  Path dirB;

  Vertx server;
  SharedWhatsAppServer whatsApp;
  Vertx vertxA;
  Vertx vertxB;
  GatewayFixture nodeA;
  GatewayFixture nodeB;

  @BeforeEach
  void twoNodesOnOneSharedWhatsApp() {
    server = Vertx.vertx();
    whatsApp = new SharedWhatsAppServer("127.0.0.1", 0, 10_000);
    GatewayFixture.await(server.deployVerticle(whatsApp));
    String hostPort = "127.0.0.1:" + whatsApp.actualPort();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    nodeA = GatewayFixture.linking(vertxA, dirA);
    nodeB = GatewayFixture.linking(vertxB, dirB);
    // node A as a test builds it, node B as the app does from its configuration
    nodeA.deploy(new SimulatedEngine(vertxA, nodeA.config.sim(),
        SimulatedWhatsApp.shared(vertxA, hostPort), nodeA.clock));
    nodeB.deploy(new SimulatedEngine(vertxB,
        nodeB.config.with("VIGIA_SIM_WHATSAPP", hostPort).sim(), nodeB.clock));
  }

  @AfterEach
  void stop() {
    nodeA.undeploy();
    nodeB.undeploy();
    GatewayFixture.await(vertxA.close());
    GatewayFixture.await(vertxB.close());
    GatewayFixture.await(server.close());
  }

  @Test
  void theSecondNodeWithTheSameCredentialsEvictsTheFirstWith440() {
    StateChange linked = nodeA.link("2");
    assertEquals(0, whatsApp.conflicts(), "linking and reconnecting after 515 is one client");
    // node B gets a copy of org 2's credentials, as it would from a shared store without a lease
    GatewayFixture.await(nodeA.store.readCreds("2")
        .compose(creds -> nodeB.store.writeCreds("2", creds)));

    nodeB.connect("2");
    assertEquals(linked.me(), nodeB.next("2", SessionState.CONNECTED).me());
    StateChange evicted = nodeA.next("2", SessionState.CONFLICT);
    assertEquals(440, evicted.cause().code());
    assertEquals(1, whatsApp.conflicts());
  }

  @Test
  void nodesWithDifferentOrgsNeverConflict() {
    nodeA.link("2");
    nodeB.link("3");
    assertEquals(0, whatsApp.conflicts());
    assertEquals(SessionState.CONNECTED, nodeA.request(GatewayAddresses.STATUS,
        new StatusRequest("2"), SessionView.class).state(), "still connected");
  }
}
