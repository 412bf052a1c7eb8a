package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.store.AuthStateException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose write the store refuses because a newer run holds the org (another process on the
 * same database, or the node that took the lease over) stops at once, as a conflict that is never
 * retried by itself; a run the gateway ended itself is not a conflict.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SupersededRunTest {

  static final Map<String, Map<String, String>> A_KEY = Map.of("pre-key", Map.of("9", "{}"));

  @TempDir
  Path dataDir;
  GatewayFixture gw;
  RunsSeen engine;

  /** The simulated engine, keeping each org's newest run so the test can write as Baileys does. */
  static final class RunsSeen extends ForwardingEngine {
    final Map<String, RunAuthState> runs = new ConcurrentHashMap<>();

    RunsSeen(SimulatedEngine inner) {
      super(inner);
    }

    @Override
    public EngineSession open(RunAuthState auth, EngineListener listener) {
      runs.put(auth.org(), auth);
      return engine.open(auth, listener);
    }
  }

  @BeforeEach
  void aLinkedSession(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    engine = new RunsSeen(new SimulatedEngine(vertx, gw.config.sim(), gw.whatsApp, gw.clock));
    gw.deploy(engine);
    for (String org : new String[] {"2", "3"}) {
      GatewayFixture.await(gw.store.writeCreds(org, new JsonObject().put("registered", true)
          .put("me", new JsonObject().put("id", "52155500000" + org + ":1@s.whatsapp.net")
              .put("name", "Vigía " + org))));
      gw.connect(org);
      gw.next(org, SessionState.CONNECTED);
    }
  }

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  @Test
  void aWriteRefusedForANewerRunStopsTheSessionAsAConflict() {
    RunAuthState ours = engine.runs.get("2");
    GatewayFixture.await(gw.store.openWriter("2")); // another process opens org 2

    Throwable refused = GatewayFixture.awaitFailure(ours.setKeys(A_KEY));
    assertEquals(AuthStateException.Kind.REVOKED,
        assertInstanceOf(AuthStateException.class, refused).kind());
    StateChange stopped = gw.next("2", SessionState.CONFLICT);
    assertEquals(SessionState.CONNECTED, stopped.from());
    assertEquals(440, stopped.cause().code());
    assertTrue(stopped.cause().message().contains("Another Vigía process or node"),
        stopped.cause().message());
    assertEquals(SessionState.CONNECTED, status("3").state(), "other orgs are untouched");
  }

  @Test
  void aWriteRefusedAfterTheGatewayEndedTheRunIsNoConflict() {
    RunAuthState ours = engine.runs.get("3");
    gw.request(GatewayAddresses.DISCONNECT, new DisconnectRequest("3", "test"));
    gw.next("3", SessionState.STOPPED);

    Throwable refused = GatewayFixture.awaitFailure(ours.writeCreds(new JsonObject()));
    assertEquals(AuthStateException.Kind.REVOKED,
        assertInstanceOf(AuthStateException.class, refused).kind());
    // a connect queued behind anything the refusal caused: it connects, and no conflict was told
    gw.connect("3");
    gw.next("3", SessionState.CONNECTED);
    assertTrue(gw.changes.all().stream()
        .noneMatch(c -> c.org().equals("3") && c.to() == SessionState.CONFLICT));
  }

  private SessionView status(String org) {
    return gw.request(GatewayAddresses.STATUS, new StatusRequest(org), SessionView.class);
  }
}
