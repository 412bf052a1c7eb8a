package dev.vigia.gateway;

import dev.vigia.common.Json;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.SessionRecordStore;
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
 * publishes every state change. Mechanism only: the monitor decides when to reconnect.
 */
public class SessionGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SessionGatewayVerticle.class);

  private final VigiaConfig config;
  private final Engine engine;
  private final AuthStateStore store;
  private final SessionRecordStore records;
  private final Clock clock;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private SessionGateway gateway;

  public SessionGatewayVerticle(VigiaConfig config, Engine engine, AuthStateStore store,
      SessionRecordStore records, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.records = records;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    gateway = new SessionGateway(vertx, engine, store, records, clock);
    return gateway.restore().compose(v -> {
      serve(GatewayAddresses.CONNECT, ConnectRequest.class, gateway::connect);
      serve(GatewayAddresses.DISCONNECT, DisconnectRequest.class, gateway::disconnect);
      serve(GatewayAddresses.LOGOUT, LogoutRequest.class, gateway::logout);
      serve(GatewayAddresses.CLEAR, ClearRequest.class, gateway::clear);
      serve(GatewayAddresses.STATUS, StatusRequest.class, gateway::status);
      serve(GatewayAddresses.LIST, JsonObject.class, ignored -> gateway.list());
      serve(GatewayAddresses.SEND, SendRequest.class, gateway::send);
      serve(GatewayAddresses.REPAIR, RepairRequest.class, gateway::repair);
      serve(GatewayAddresses.SETTLE, SettleRequest.class, gateway::settle);
      serve(GatewayAddresses.SIM, SimRequest.class, gateway::sim);
      serve(GatewayAddresses.FORGET, ForgetRequest.class, gateway::forget);
      serve(GatewayAddresses.PURGE_ARCHIVES, PurgeArchivesRequest.class, gateway::purgeArchives);
      serve(GatewayAddresses.READY, JsonObject.class, ignored -> readiness());
      LOG.info("session gateway ready: engine {}{}", engine.name(),
          engine instanceof SimulatedEngine ? ", simulated timings " + config.sim() : "");
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  @Override
  public Future<?> stop() {
    return gateway == null ? Future.succeededFuture() : gateway.shutdown();
  }

  /** Both checks always answer: a failed one is reported, never a failed reply. */
  private Future<Readiness> readiness() {
    Future<String> storeCheck = check(store.probe(), "store");
    Future<String> engineCheck = check(engine.ready(), "engine " + engine.name());
    return Future.join(storeCheck, engineCheck).transform(ignored -> Future.succeededFuture(
        new Readiness(storeCheck.result() == null, storeCheck.result(),
            engineCheck.result() == null, engineCheck.result())));
  }

  /** {@code null} when {@code probe} succeeded, else what went wrong. */
  private static Future<String> check(Future<Void> probe, String what) {
    return probe.<String>map(v -> null).otherwise(err -> {
      LOG.warn("readiness: the {} is not ready: {}", what, err.getMessage());
      return what + " not ready: " + err.getMessage();
    });
  }

  private <T> void serve(String address, Class<T> type, Function<T, Future<?>> handler) {
    consumers.add(vertx.eventBus().consumer(address, msg -> {
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
      Future<?> reply;
      try {
        reply = handler.apply(request);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(result -> msg.reply(Json.toJson(result))).onFailure(e -> fail(msg, e));
    }));
  }

  private static void fail(Message<Object> msg, Throwable e) {
    if (e instanceof GatewayFailure f) {
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
