package dev.vigia.gateway;

import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.SessionRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.engine.simulated.SimulatedWhatsApp;
import dev.vigia.gateway.session.FileSessionRecordStore;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A deployed gateway over the simulated engine, an in-memory auth-state store and a file record
 * store in a temp dir; the stores and the fake WhatsApp outlive a redeploy, as they outlive a
 * process restart. Tests call it from their own thread and wait on futures (never on an event loop).
 */
final class GatewayFixture {

  static final long WAIT_SECONDS = 10;

  final Vertx vertx;
  final VigiaConfig config;
  final Clock clock = Clock.systemUTC();
  final InMemoryAuthStateStore store = new InMemoryAuthStateStore(clock);
  final FileSessionRecordStore records;
  final SimulatedWhatsApp whatsApp = new SimulatedWhatsApp();
  final EventLog<StateChange> changes;
  final EventLog<Activity> activities;
  private final java.util.Map<String, EventLog<StateChange>> own =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The auth-state store the gateway uses: {@link #store} unless a test gives a real one. */
  AuthStateStore authStore = store;
  Engine engine;
  private String deployment;
  private SessionGatewayVerticle verticle;
  /** Gateway state touched off its context, summed over every deployment so far. */
  private int contextViolations;

  GatewayFixture(Vertx vertx, Path dataDir, long qrFirstMillis, long qrNextMillis, int qrCount) {
    this.vertx = vertx;
    this.config = VigiaConfig.defaultsOnly()
        .with("VIGIA_DATA_DIR", dataDir.toString())
        .with("VIGIA_SIM_QR_FIRST_MS", String.valueOf(qrFirstMillis))
        .with("VIGIA_SIM_QR_NEXT_MS", String.valueOf(qrNextMillis))
        .with("VIGIA_SIM_QR_COUNT", String.valueOf(qrCount))
        .with("VIGIA_SIM_RESTART_MS", "0");
    this.records = new FileSessionRecordStore(vertx, dataDir);
    this.changes = await(EventLog.listen(vertx, StateChange.ADDRESS, StateChange.class));
    this.activities = await(EventLog.listen(vertx, Activity.ADDRESS, Activity.class));
  }

  /** Slow QR rotation: nothing expires while a test links a phone. */
  static GatewayFixture linking(Vertx vertx, Path dataDir) {
    return new GatewayFixture(vertx, dataDir, 30_000, 30_000, 3);
  }

  void deploy() {
    deploy(new SimulatedEngine(vertx, config.sim(), whatsApp, clock));
  }

  void deploy(Engine engine) {
    this.engine = engine;
    verticle = new SessionGatewayVerticle(config, engine, authStore, records, clock);
    deployment = await(vertx.deployVerticle(verticle));
  }

  /**
   * As one node of a cluster: commands on {@code NodeAddresses.local(…)}, orgs only by hand-over
   * (a node starts holding no lease, so its records' load finds none, as the fenced store's).
   */
  void deployClustered(String node) {
    this.engine = new SimulatedEngine(vertx, config.sim(), whatsApp, clock);
    SessionRecordStore noneHeldYet = new SessionRecordStore() {
      @Override
      public Future<java.util.List<SessionRecord>> loadAll() {
        return Future.succeededFuture(java.util.List.of());
      }

      @Override
      public Future<SessionRecord> load(String org) {
        return records.load(org);
      }

      @Override
      public Future<Void> save(SessionRecord record) {
        return records.save(record);
      }

      @Override
      public Future<Void> delete(String org) {
        return records.delete(org);
      }
    };
    verticle = new SessionGatewayVerticle(config, engine, authStore, noneHeldYet, clock)
        .clustered(node);
    deployment = await(vertx.deployVerticle(verticle));
  }

  /** Times the deployed gateways touched their state off their own context. */
  int contextViolations() {
    return contextViolations + (verticle == null ? 0 : verticle.contextViolations());
  }

  /** As a process restart: the verticle and its engine go, the stores and WhatsApp stay. */
  void redeploy() {
    undeploy();
    deploy();
  }

  void undeploy() {
    if (deployment != null) {
      await(vertx.undeploy(deployment));
      deployment = null;
      contextViolations += verticle.contextViolations();
      verticle = null;
    }
  }

  SimulatedEngine simulated() {
    return (SimulatedEngine) engine;
  }

  JsonObject request(String address, Object body) {
    return await(vertx.eventBus().<JsonObject>request(address, Json.toJson(body))
        .map(m -> m.body()));
  }

  /** The reply as {@code reply}: a JsonObject or JSON text (the list), as the gateway sends it. */
  <T> T request(String address, Object body, Class<T> reply) {
    return Json.fromBody(await(vertx.eventBus().request(address, Json.toJson(body))
        .map(m -> m.body())), reply);
  }

  /** Sends a request that must fail; returns the failure code. */
  ReplyException refused(String address, Object body) {
    Throwable failure = awaitFailure(vertx.eventBus().request(address,
        body instanceof JsonObject json ? json : Json.toJson(body)));
    return assertInstanceOf(ReplyException.class, failure);
  }

  StateChange next(String org, SessionState to) {
    return await(changes.next(c -> c.org().equals(org) && c.to() == to));
  }

  /**
   * Listens on the org's own address, where its QR and pairing code travel (DESIGN §4: the
   * all-orgs address never carries them); read with {@link #nextOwn}.
   */
  void watch(String org) {
    own.put(org, await(EventLog.listen(vertx, StateChange.addressFor(org), StateChange.class)));
  }

  /** As {@link #next}, on the org's own address ({@link #watch} it first). */
  StateChange nextOwn(String org, SessionState to) {
    return await(own.get(org).next(c -> c.to() == to));
  }

  SessionView connect(String org) {
    return request(GatewayAddresses.CONNECT,
        new ConnectRequest(org, ConnectRequest.QR, null, false, "test"), SessionView.class);
  }

  /** Plays the monitor after a 515: connects again at once. */
  SessionView reconnectAsMonitor(String org) {
    return request(GatewayAddresses.CONNECT,
        new ConnectRequest(org, null, null, false, "monitor"), SessionView.class);
  }

  SessionView sim(String org, String action, String kind) {
    return request(GatewayAddresses.SIM, new SimRequest(org, action, kind, null, null),
        SessionView.class);
  }

  /** Connect, scan, 515, reconnect: the org ends CONNECTED; returns that change. */
  StateChange link(String org) {
    connect(org);
    next(org, SessionState.QR_REQUIRED);
    sim(org, SimRequest.SCAN, null);
    StateChange restart = next(org, SessionState.RECONNECTING);
    assertEquals(515, restart.cause().code());
    reconnectAsMonitor(org);
    return next(org, SessionState.CONNECTED);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("gave up waiting: " + e, e);
    }
  }

  static Throwable awaitFailure(Future<?> future) {
    return await(future.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + ar.result()))
        : Future.succeededFuture(ar.cause())));
  }

}
