package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.EngineRestartRequest;
import dev.vigia.common.gateway.EngineRestartResult;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.session.Operation;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, {@code pm2 restart whatsapp-server} made safe: an operator's restart closes every open
 * session with {@code engine_restart}, each org's journal is told who did it before its state
 * changes, connects wait for the engine to be back, and the reply names the orgs it touched.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineRestartTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  /** The simulated engine, whose restart the test holds until it lets it finish. */
  static final class HeldRestartEngine extends ForwardingEngine {
    final AtomicInteger restarts = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    volatile Promise<Void> restart = Promise.promise();

    HeldRestartEngine(SimulatedEngine engine) {
      super(engine);
    }

    @Override
    public EngineSession open(RunAuthState auth, EngineListener listener) {
      opens.incrementAndGet();
      return engine.open(auth, listener);
    }

    @Override
    public Future<Void> restart() {
      restarts.incrementAndGet();
      return engine.restart().compose(v -> restart.future());
    }
  }

  /**
   * Links {@code orgs} on the simulated engine (its phone scans), then restarts the gateway on a
   * {@link HeldRestartEngine}: the sessions come back linked, without a QR, as after a restart.
   */
  private HeldRestartEngine linkedThenHeld(Vertx vertx, String... orgs) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    for (String org : orgs) {
      gw.link(org);
    }
    gw.undeploy();
    HeldRestartEngine engine = new HeldRestartEngine(
        new SimulatedEngine(vertx, gw.config.sim(), gw.whatsApp, gw.clock));
    gw.deploy(engine);
    for (String org : orgs) {
      gw.next(org, SessionState.CONNECTED);
    }
    return engine;
  }

  /** Operations and state changes in the order the gateway published them. */
  private List<String> story(Vertx vertx) {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    GatewayFixture.await(vertx.eventBus().<JsonObject>consumer(Operation.ADDRESS, m -> {
      Operation op = Json.fromJson(m.body(), Operation.class);
      seen.add("operation " + op.org() + " " + op.action() + " by " + op.actor());
    }).completion());
    GatewayFixture.await(vertx.eventBus().consumer(StateChange.ADDRESS, m -> {
      StateChange c = Json.fromBody(m.body(), StateChange.class);
      seen.add("state " + c.org() + " " + c.to() + (c.cause() == null ? "" : " " + c.cause().reason()));
    }).completion());
    return seen;
  }

  @Test
  void everyOpenSessionClosesWithEngineRestartAfterItsJournalIsToldWhoAndComesBack(Vertx vertx)
      throws Exception {
    HeldRestartEngine engine = linkedThenHeld(vertx, "2", "4");
    List<String> story = story(vertx);

    Future<EngineRestartResult> restarted = vertx.eventBus()
        .<JsonObject>request(GatewayAddresses.RESTART_ENGINE,
            Json.toJson(new EngineRestartRequest("user:ana", "stuck since noon")))
        .map(m -> Json.fromJson(m.body(), EngineRestartResult.class));

    StateChange two = gw.next("2", SessionState.RECONNECTING);
    StateChange four = gw.next("4", SessionState.RECONNECTING);
    for (StateChange c : List.of(two, four)) {
      assertEquals(Cause.ENGINE_RESTART, c.cause().reason());
      assertTrue(c.cause().message().contains("user:ana"), c.cause().message());
    }
    // the story's consumers hear the bus after gw.next's: wait until both closes are in it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(story.contains("state 2 RECONNECTING engine_restart")
        && story.contains("state 4 RECONNECTING engine_restart")) && System.nanoTime() < deadline) {
      Thread.sleep(10); // the test thread
    }
    for (String org : List.of("2", "4")) {
      int said = story.indexOf("operation " + org + " engine_restart by user:ana");
      int closed = story.indexOf("state " + org + " RECONNECTING engine_restart");
      assertTrue(said >= 0 && said < closed, "who restarted comes first: " + story);
    }

    // the monitor reconnects at once: it waits for the engine, never opens on the old one
    int opensBefore = engine.opens.get();
    Future<SessionView> reconnect = vertx.eventBus().<JsonObject>request(GatewayAddresses.CONNECT,
            Json.toJson(new ConnectRequest("2", null, null, false, "monitor", two.seq())))
        .map(m -> Json.fromJson(m.body(), SessionView.class));
    Thread.sleep(300); // the test thread: long enough for a connect that did not wait to open
    assertFalse(reconnect.isComplete(), "a connect went through during the restart");
    assertEquals(opensBefore, engine.opens.get());
    assertFalse(restarted.isComplete(), "the reply waits for the engine");

    engine.restart.complete();
    EngineRestartResult result = GatewayFixture.await(restarted);
    assertEquals(new EngineRestartResult("simulated", List.of("2", "4"), true, null), result);
    GatewayFixture.await(reconnect);
    gw.next("2", SessionState.CONNECTED);
    assertEquals(1, engine.restarts.get());
    assertFalse(story.stream().anyMatch(s -> s.startsWith("operation 5")));
  }

  @Test
  void aSecondRestartWhileOneIsUnderWayIsRefusedAndAnEngineThatDoesNotComeBackIsSaid(Vertx vertx) {
    HeldRestartEngine engine = linkedThenHeld(vertx, "2");

    Future<EngineRestartResult> first = vertx.eventBus()
        .<JsonObject>request(GatewayAddresses.RESTART_ENGINE,
            Json.toJson(new EngineRestartRequest("user:ana", null)))
        .map(m -> Json.fromJson(m.body(), EngineRestartResult.class));
    gw.next("2", SessionState.RECONNECTING);
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.RESTART_ENGINE,
        new EngineRestartRequest("user:luis", null)).failureCode());

    engine.restart.fail("node: command not found");
    EngineRestartResult result = GatewayFixture.await(first);
    assertFalse(result.ready());
    assertTrue(result.detail().contains("node: command not found"), result.detail());
    assertEquals(List.of("2"), result.orgs());

    // the restart is over: connects and a next restart go through again
    engine.restart = Promise.promise();
    engine.restart.complete();
    assertEquals(List.of(), gw.request(GatewayAddresses.RESTART_ENGINE,
        new EngineRestartRequest("user:luis", null), EngineRestartResult.class).orgs());
    SessionState now = gw.connect("2").state();
    assertTrue(now == SessionState.STARTING || now == SessionState.CONNECTED, "connect: " + now);
  }
}
