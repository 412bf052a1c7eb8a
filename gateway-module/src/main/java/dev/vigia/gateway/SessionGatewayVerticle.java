package dev.vigia.gateway;

import dev.vigia.common.Json;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.cluster.NotOwnerException;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ArchivesRequest;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.EngineRestartRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.RestoreRequest;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the gateway addresses of DESIGN §4 over one engine and one auth-state store, and
 * publishes every state change. It answers at once: the sessions of the last run are restored
 * behind its start. All its state lives on this verticle's context.
 */
public class SessionGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SessionGatewayVerticle.class);

  private final VigiaConfig config;
  private final Engine engine;
  private final AuthStateStore store;
  private final SessionRecordStore records;
  private final Clock clock;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  /** Cluster mode: this node's id; its gateway then serves on local addresses only. */
  private String clusterNode;
  private OwningContext owner;
  private SessionTable table;
  private SessionRestore restore;
  private SessionGateway gateway;

  public SessionGatewayVerticle(VigiaConfig config, Engine engine, AuthStateStore store,
      SessionRecordStore records, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.records = records;
    this.clock = clock;
  }

  /**
   * Cluster mode (issue 11): the gateway serves each address on {@link NodeAddresses#local}, for
   * this node only (the plain address is the node's front door, which sends a command to the
   * org's owner), starts with no session (it takes orgs as their leases come:
   * {@link NodeAddresses#ADOPT}, {@link NodeAddresses#RELEASE}).
   */
  public SessionGatewayVerticle clustered(String nodeId) {
    this.clusterNode = nodeId;
    return this;
  }

  @Override
  public Future<?> start() {
    owner = new OwningContext();
    KeyedQueue queue = new KeyedQueue();
    table = new SessionTable(owner, vertx.eventBus(), records, clock, clusterNode);
    EngineRuns runs = new EngineRuns(owner, queue, table, store, engine, clock);
    ContactRepair repair = new ContactRepair(owner, queue, table, store, engine,
        vertx.eventBus(), clock);
    restore = new SessionRestore(owner, queue, table, records, store, runs);
    EngineRestart restart = new EngineRestart(owner, queue, table, runs, engine);
    gateway = new SessionGateway(owner, queue, table, runs, store, engine, restart);
    ArchiveCommands archives = new ArchiveCommands(owner, queue, table, runs, store);
    restore.start();
    if (clusterNode != null) {
      ClusterHandover handover = new ClusterHandover(owner, queue, table, records, store, runs);
      serve(NodeAddresses.ADOPT, OrgRequest.class,
          r -> handover.adopt(RequestChecks.org(r.org())).map(v -> new JsonObject()));
      serve(NodeAddresses.RELEASE, OrgRequest.class,
          r -> handover.release(RequestChecks.org(r.org())).map(v -> new JsonObject()));
    }
    serve(GatewayAddresses.CONNECT, ConnectRequest.class, gateway::connect);
    serve(GatewayAddresses.DISCONNECT, DisconnectRequest.class, gateway::disconnect);
    serve(GatewayAddresses.LOGOUT, LogoutRequest.class, gateway::logout);
    serve(GatewayAddresses.CLEAR, ClearRequest.class, gateway::clear);
    serve(GatewayAddresses.STATUS, StatusRequest.class, gateway::status);
    // as JSON text: thousands of views, which a JsonObject would turn into maps, copy on the bus
    // and turn back (the first list after a restart of 2,000 sessions took 0.35 s)
    serveAsText(GatewayAddresses.LIST, JsonObject.class, ignored -> gateway.list());
    serve(GatewayAddresses.SEND, SendRequest.class, gateway::send);
    serve(GatewayAddresses.REPAIR, RepairRequest.class, repair::repair);
    serve(GatewayAddresses.SETTLE, SettleRequest.class, gateway::settle);
    serve(GatewayAddresses.SIM, SimRequest.class, gateway::sim);
    serve(GatewayAddresses.FORGET, ForgetRequest.class, gateway::forget);
    serve(GatewayAddresses.PURGE_ARCHIVES, PurgeArchivesRequest.class, gateway::purgeArchives);
    serve(GatewayAddresses.ARCHIVES, ArchivesRequest.class, archives::archives);
    serve(GatewayAddresses.RESTORE, RestoreRequest.class, archives::restore);
    serve(GatewayAddresses.RESTART_ENGINE, EngineRestartRequest.class, restart::restart);
    consumers.add(vertx.eventBus().localConsumer(at(GatewayAddresses.READY),
        msg -> readiness().onSuccess(r -> msg.reply(Json.toJson(r)))));
    LOG.info("session gateway serving: engine {}{}", engine.name(),
        engine instanceof SimulatedEngine ? ", simulated timings " + config.sim() : "");
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    if (gateway == null) {
      return Future.succeededFuture();
    }
    restore.stop();
    return gateway.shutdown();
  }

  /** Times the gateway's state was touched off its context (a bug; tests assert none). */
  int contextViolations() {
    return owner == null ? 0 : owner.violations();
  }

  /** Every check always answers: a failed one is reported, never a failed reply. */
  private Future<Readiness> readiness() {
    Future<String> storeCheck = check(store.probe(), "store");
    Future<String> engineCheck = check(engine.ready(), "engine " + engine.name());
    Future<Void> loaded = restore.loaded();
    return owner.back(Future.join(storeCheck, engineCheck)).transform(ignored -> {
      String storeDetail = storeCheck.result();
      if (loaded.failed()) {
        storeDetail = "store not ready: the session records could not be read: "
            + loaded.cause().getMessage();
      } else if (storeDetail == null && table.unsaved() != null) {
        storeDetail = "store not ready: " + table.unsaved();
      }
      return Future.succeededFuture(new Readiness(storeDetail == null, storeDetail,
          engineCheck.result() == null, engineCheck.result(), restore.progress()));
    });
  }

  /** {@code null} when {@code probe} succeeded, else what went wrong. */
  private static Future<String> check(Future<Void> probe, String what) {
    return probe.<String>map(v -> null).otherwise(err -> {
      LOG.warn("readiness: the {} is not ready: {}", what, err.getMessage());
      return what + " not ready: " + err.getMessage();
    });
  }

  /** Requests wait for the records to be loaded (a fraction of a second), never for a restore. */
  /** Where this gateway serves {@code address}: there, or this node's own address in a cluster. */
  private String at(String address) {
    return clusterNode == null || !address.startsWith("vigia.gateway.") ? address
        : NodeAddresses.local(address);
  }

  /** A command of the cluster's handover: just the org. */
  record OrgRequest(String org) {}

  private <T> void serve(String address, Class<T> type, Function<T, Future<?>> handler) {
    serve(address, type, handler, Json::toJson);
  }

  /** As {@link #serve}, the answer as JSON text in a Buffer (read with Json.fromBody). */
  private <T> void serveAsText(String address, Class<T> type, Function<T, Future<?>> handler) {
    serve(address, type, handler, Json::toBuffer);
  }

  private <T> void serve(String address, Class<T> type, Function<T, Future<?>> handler,
      Function<Object, Object> encode) {
    String at = at(address);
    // on a single node Vert.x is not clustered: local and cluster-wide are the same
    consumers.add(vertx.eventBus().localConsumer(at, msg -> {
      T request;
      try {
        Object body = msg.body() == null ? new JsonObject() : msg.body();
        if (!(body instanceof JsonObject json)) {
          msg.fail(Failure.BAD_INPUT, "the request must be a JSON object");
          return;
        }
        request = type == JsonObject.class ? type.cast(json) : Json.fromJson(json, type);
      } catch (IllegalArgumentException e) {
        msg.fail(Failure.BAD_INPUT, "malformed request for " + address);
        return;
      }
      restore.loaded()
          .recover(e -> Future.failedFuture(new GatewayFailure(Failure.UNAVAILABLE,
              "the session records could not be read; see the log")))
          .compose(v -> handler.apply(request))
          .onSuccess(result -> msg.reply(encode.apply(result)))
          .onFailure(e -> fail(msg, e));
    }));
  }

  private static void fail(Message<Object> msg, Throwable e) {
    NotOwnerException notOwner = NotOwnerException.in(e);
    if (notOwner != null) {
      msg.fail(Failure.NOT_OWNER, notOwner.getMessage());
    } else if (e instanceof GatewayFailure f) {
      msg.fail(f.code(), f.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      msg.fail(Failure.BAD_INPUT, e.getMessage());
    } else if (e instanceof IllegalStateException) {
      msg.fail(Failure.WRONG_STATE, e.getMessage());
    } else {
      LOG.warn("gateway request on {} failed", msg.address(), e);
      msg.fail(500, "internal error in the session gateway");
    }
  }
}
