package dev.vigia.monitor;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the gateway on the bus: records every command, publishes the state a settle or
 * clear leads to (before answering OK: the harder order for the monitor), and answers OK. It opens nothing: tests publish the
 * state changes a real connection would cause.
 */
final class FakeGateway extends VerticleBase {

  final List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
  final List<SettleRequest> settles = new CopyOnWriteArrayList<>();
  final List<ClearRequest> clears = new CopyOnWriteArrayList<>();
  final List<RepairRequest> repairs = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong(1000);

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(ConnectRequest.ADDRESS, msg -> {
          connects.add(Json.fromJson(msg.body(), ConnectRequest.class));
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(SettleRequest.ADDRESS, msg -> {
          SettleRequest s = Json.fromJson(msg.body(), SettleRequest.class);
          settles.add(s);
          publish(new StateChange(s.org(), SessionState.RECONNECTING, s.state(), s.cause(), null,
              null, null, s.reconnect(), Instant.now(), seq.incrementAndGet()));
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(ClearRequest.ADDRESS, msg -> {
          ClearRequest c = Json.fromJson(msg.body(), ClearRequest.class);
          clears.add(c);
          publish(new StateChange(c.org(), SessionState.LOGGED_OUT, SessionState.STOPPED, null,
              null, null, null, null, Instant.now(), seq.incrementAndGet()));
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(RepairRequest.ADDRESS, msg -> {
          repairs.add(Json.fromJson(msg.body(), RepairRequest.class));
          msg.reply(new JsonObject());
        }).completion());
  }

  private void publish(StateChange change) {
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toJson(change));
  }

  long settlesTo(SessionState state) {
    return settles.stream().filter(s -> s.state() == state).count();
  }
}
