package dev.vigia.monitor.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** {@link GatewayCommands} as request/reply on the event bus (DESIGN §4), signed by one actor. */
public final class BusGatewayCommands implements GatewayCommands {

  private final EventBus bus;
  private final String actor;

  public BusGatewayCommands(EventBus bus, String actor) {
    this.bus = bus;
    this.actor = actor;
  }

  @Override
  public Future<Void> connect(String org, long forSeq) {
    return send(ConnectRequest.ADDRESS,
        new ConnectRequest(org, ConnectRequest.QR, null, false, actor, forSeq)).mapEmpty();
  }

  @Override
  public Future<Void> settle(String org, SessionState state, Cause cause,
      SessionView.Reconnect reconnect, long forSeq) {
    return send(SettleRequest.ADDRESS,
        new SettleRequest(org, state, cause, reconnect, actor, forSeq)).mapEmpty();
  }

  @Override
  public Future<Void> clear(String org, String reason) {
    return send(ClearRequest.ADDRESS, new ClearRequest(org, actor, reason)).mapEmpty();
  }

  @Override
  public Future<Void> repair(String org, String contact, String reason) {
    return send(RepairRequest.ADDRESS, new RepairRequest(org, contact, reason)).mapEmpty();
  }

  @Override
  public Future<Void> forget(String org) {
    return send(ForgetRequest.ADDRESS, new ForgetRequest(org, actor)).mapEmpty();
  }

  @Override
  public Future<Integer> purgeArchives(Instant olderThan) {
    return send(PurgeArchivesRequest.ADDRESS, new PurgeArchivesRequest(olderThan))
        .map(body -> Json.fromBody(body, PurgeResult.class).purged());
  }

  @Override
  public Future<List<SessionView>> list() {
    return send(ListRequest.ADDRESS, null)
        .map(body -> Json.fromBody(body, SessionList.class).sessions());
  }

  @Override
  public Future<SessionView> status(String org) {
    return send(StatusRequest.ADDRESS, new StatusRequest(org))
        .map(body -> Json.fromBody(body, SessionView.class));
  }

  /** The reply's body: a {@link JsonObject}, or JSON text (the list); read with fromBody. */
  private Future<Object> send(String address, Object request) {
    JsonObject body = request == null ? new JsonObject() : Json.toJson(request);
    return bus.<Object>request(address, body).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(GatewayError.of(ar.cause()));
      }
      Object reply = ar.result().body();
      return Future.succeededFuture(reply instanceof JsonObject || reply instanceof Buffer ? reply
          : new JsonObject());
    });
  }
}
