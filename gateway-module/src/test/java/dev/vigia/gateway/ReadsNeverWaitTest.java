package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.ReadinessQuery;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, item 4: reads never wait behind writes. A status waited in the org's queue behind a
 * start (up to 60 s) while the dashboard gives up after 10 s; the gateway answered nothing until
 * every session was restored.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadsNeverWaitTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  @Test
  void aStatusAndAListAnswerWhileAStartOfThatOrgWaits(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    GatedEngine gated = new GatedEngine(simulated(vertx));
    gw.deploy(gated);
    Future<Object> connecting = vertx.eventBus().request(GatewayAddresses.CONNECT,
        Json.toJson(new ConnectRequest("2", null, null, false, "u"))).map(m -> m.body());
    gw.next("2", SessionState.STARTING);

    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    SessionList list = gw.request(GatewayAddresses.LIST, new ListRequest(), SessionList.class);

    assertEquals(SessionState.STARTING, status.state());
    assertEquals(List.of("2"), list.sessions().stream().map(SessionView::org).toList());
    assertFalse(connecting.isComplete(), "the start was not waiting: the test proves nothing");
    gated.open();
    GatewayFixture.await(connecting);
    gw.next("2", SessionState.QR_REQUIRED);
  }

  @Test
  void theGatewayAnswersAtOnceAndRestoresItsSessionsBehindItsStart(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    for (String org : List.of("a", "b", "c")) {
      gw.link(org);
    }
    gw.undeploy();

    GatedEngine gated = new GatedEngine(simulated(vertx));
    gw.deploy(gated);
    for (int i = 0; i < 100 && gated.waiting() < 3; i++) {
      pause();
    }
    assertEquals(3, gated.waiting(), "the resumes never reached the engine");

    Readiness restoring = gw.request(GatewayAddresses.READY, new ReadinessQuery(),
        Readiness.class);
    assertEquals("restoring 0/3", restoring.restoring());
    SessionView a = gw.request(GatewayAddresses.STATUS, new StatusRequest("a"), SessionView.class);
    assertEquals(SessionState.STARTING, a.state());

    gated.open();
    for (String org : List.of("a", "b", "c")) {
      gw.next(org, SessionState.CONNECTED);
    }
    Readiness done = awaitRestored();
    assertNull(done.restoring());
    assertTrue(done.ready());
  }

  private Readiness awaitRestored() {
    for (int i = 0; i < 100; i++) {
      Readiness r = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
      if (r.restoring() == null) {
        return r;
      }
      pause();
    }
    throw new AssertionError("the restore never finished");
  }

  private void pause() {
    GatewayFixture.await(Future.future(p -> gw.vertx.setTimer(50, t -> p.complete())));
  }

  private SimulatedEngine simulated(Vertx vertx) {
    return new SimulatedEngine(vertx, gw.config.sim(), gw.whatsApp, gw.clock);
  }
}
