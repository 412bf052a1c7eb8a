package dev.vigia.monitor;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the gateway on the bus: records every command, publishes the state a settle or
 * clear leads to (before answering OK: the harder order for the monitor), and answers OK. Like
 * the real gateway it refuses with 409 a settle or connect whose {@code forSeq} is not the org's
 * newest state. It opens nothing: tests publish (through {@link #publish}) the state changes a
 * real connection would cause, numbered from the same counter.
 */
final class FakeGateway extends VerticleBase {

  final List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
  final List<SettleRequest> settles = new CopyOnWriteArrayList<>();
  final List<ClearRequest> clears = new CopyOnWriteArrayList<>();
  final List<RepairRequest> repairs = new CopyOnWriteArrayList<>();
  /** Commands refused as stale (409). */
  final List<Object> refused = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong(1000);
  private final Map<String, Long> newest = new ConcurrentHashMap<>();

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(ConnectRequest.ADDRESS, msg -> {
          ConnectRequest c = Json.fromJson(msg.body(), ConnectRequest.class);
          connects.add(c);
          if (stale(c.org(), c.forSeq())) {
            refused.add(c);
            msg.fail(Failure.WRONG_STATE, "the session changed since that decision");
            return;
          }
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(SettleRequest.ADDRESS, msg -> {
          SettleRequest s = Json.fromJson(msg.body(), SettleRequest.class);
          settles.add(s);
          if (stale(s.org(), s.forSeq())) {
            refused.add(s);
            msg.fail(Failure.WRONG_STATE, "the session changed since that decision");
            return;
          }
          publish(s.org(), SessionState.RECONNECTING, s.state(), s.cause(), s.reconnect());
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(ClearRequest.ADDRESS, msg -> {
          ClearRequest c = Json.fromJson(msg.body(), ClearRequest.class);
          clears.add(c);
          publish(c.org(), SessionState.LOGGED_OUT, SessionState.STOPPED, null, null);
          msg.reply(new JsonObject());
        }).completion(),
        bus.<JsonObject>consumer(RepairRequest.ADDRESS, msg -> {
          repairs.add(Json.fromJson(msg.body(), RepairRequest.class));
          msg.reply(new JsonObject());
        }).completion());
  }

  /** Publishes one state change of {@code org} with the next seq, as the gateway would. */
  void publish(String org, SessionState from, SessionState to, dev.vigia.common.Cause cause,
      dev.vigia.common.session.SessionView.Reconnect reconnect) {
    publish(new StateChange(org, from, to, cause, null, null, null, reconnect, Instant.now(),
        seq.incrementAndGet()));
  }

  /** Publishes {@code change} as is; its seq becomes the org's newest. */
  void publish(StateChange change) {
    newest.merge(change.org(), change.seq(), Math::max);
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toJson(change));
  }

  /** The org's session changes at the gateway (a person's clear, say) before anyone hears it. */
  void moveOn(String org) {
    newest.put(org, seq.incrementAndGet());
  }

  long nextSeq() {
    return seq.incrementAndGet();
  }

  private boolean stale(String org, Long forSeq) {
    return forSeq != null && forSeq != newest.getOrDefault(org, 0L).longValue();
  }

  long settlesTo(SessionState state) {
    return settles.stream().filter(s -> s.state() == state).count();
  }
}
