package dev.vigia.dashboard;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test double for the bus boundary only: a gateway and a journal that keep a map of SessionViews,
 * answer like the real ones (including the Failure codes); every request sent to a
 * {@code vigia.*} address is recorded, served or not.
 */
public final class FakeGateway {

  /** One request seen on the bus. */
  public record Seen(String address, JsonObject body) {}

  private final Vertx vertx;
  private final Clock clock;
  private final Map<String, SessionView> sessions = new ConcurrentHashMap<>();
  private final Map<String, List<JournalEntry>> journal = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** What {@code vigia.gateway.ready} answers; a test may make the store or engine fail. */
  volatile Readiness readiness = new Readiness(true, null, true, null);
  private final Handler<DeliveryContext<Object>> interceptor = dc -> {
    if (dc.message().address().startsWith("vigia.")) {
      Object body = dc.message().body();
      seen.add(new Seen(dc.message().address(), body instanceof JsonObject j ? j : new JsonObject()));
    }
    dc.next();
  };
  private final AtomicInteger sends = new AtomicInteger();
  /** When set, the next clear fails with this code. */
  public volatile Integer failNextClear;

  public FakeGateway(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  public List<Seen> seen() {
    return Collections.unmodifiableList(seen);
  }

  public SessionView session(String org) {
    return sessions.get(org);
  }

  public Future<Void> register() {
    // every send to a vigia.* address counts, also to one this fake does not serve
    vertx.eventBus().addOutboundInterceptor(interceptor);
    on(GatewayAddresses.CONNECT, this::connect);
    on(GatewayAddresses.DISCONNECT, body -> {
      DisconnectRequest r = Json.fromJson(body, DisconnectRequest.class);
      return transition(known(r.org()).org(), SessionState.STOPPED, Cause.userRequest("disconnect"), null, r.actor());
    });
    on(GatewayAddresses.LOGOUT, body -> {
      LogoutRequest r = Json.fromJson(body, LogoutRequest.class);
      return transition(known(r.org()).org(), SessionState.LOGGED_OUT, Cause.userRequest("logout"), null, r.actor());
    });
    on(GatewayAddresses.CLEAR, body -> {
      ClearRequest r = Json.fromJson(body, ClearRequest.class);
      Integer fail = failNextClear;
      if (fail != null) {
        failNextClear = null;
        throw new Failed(fail, "the auth state of " + r.org() + " could not be archived");
      }
      SessionView view = transition(valid(r.org()), SessionState.STOPPED,
          Cause.userRequest("clear"), null, r.actor());
      return Json.toJson(new ClearResult(view, "archive/" + r.org() + "/now"));
    });
    on(GatewayAddresses.STATUS, body -> Json.toJson(known(
        Json.fromJson(body, StatusRequest.class).org())));
    on(GatewayAddresses.LIST, body -> Json.toJson(new SessionList(new ArrayList<>(sessions.values()))));
    on(GatewayAddresses.READY, body -> Json.toJson(readiness));
    on(GatewayAddresses.SIM, this::sim);
    on(GatewayAddresses.SEND, body -> {
      SendRequest r = Json.fromJson(body, SendRequest.class);
      valid(r.org());
      return Json.toJson(new SendReceipt("msg-" + sends.incrementAndGet(), "sent"));
    });
    on(JournalQuery.ADDRESS, body -> {
      JournalQuery q = Json.fromJson(body, JournalQuery.class);
      List<JournalEntry> all = new ArrayList<>(journal.getOrDefault(valid(q.org()), List.of()));
      Collections.reverse(all);
      return Json.toJson(new JournalPage(all.subList(0, Math.min(q.limit(), all.size()))));
    });
    return Future.succeededFuture();
  }

  public Future<Void> unregister() {
    vertx.eventBus().removeOutboundInterceptor(interceptor);
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private JsonObject connect(JsonObject body) {
    ConnectRequest r = Json.fromJson(body, ConnectRequest.class);
    SessionView old = sessions.get(valid(r.org()));
    if (old != null && old.state() == SessionState.CONNECTED && !r.takeover()) {
      throw new Failed(Failure.WRONG_STATE, "organization " + r.org() + " is already connected");
    }
    SessionView.QrCode qr = new SessionView.QrCode("2@fake-qr-" + r.org() + "," + clock.millis(),
        clock.instant().plusSeconds(60));
    return Json.toJson(transition(r.org(), SessionState.QR_REQUIRED, null, qr, r.actor()));
  }

  private JsonObject sim(JsonObject body) {
    SimRequest r = Json.fromJson(body, SimRequest.class);
    SessionView view = known(r.org());
    if (SimRequest.SCAN.equals(r.action())) {
      if (view.state() != SessionState.QR_REQUIRED) {
        throw new Failed(Failure.WRONG_STATE, "no QR to scan for " + r.org());
      }
      transition(r.org(), SessionState.STARTING, Cause.restartRequired(), null, "sim");
      return Json.toJson(transition(r.org(), SessionState.CONNECTED, null, null, "sim"));
    }
    return Json.toJson(transition(r.org(), SessionState.RECONNECTING,
        new Cause(null, r.kind(), "injected " + r.kind()), null, "sim"));
  }

  private SessionView transition(String org, SessionState to, Cause cause, SessionView.QrCode qr,
      String actor) {
    SessionView old = sessions.get(org);
    Instant now = clock.instant();
    SessionView view = new SessionView(org, to, now, cause, qr,
        to == SessionState.CONNECTED ? new SessionView.Me("573000000000@s.whatsapp.net", "Fake") : null,
        to == SessionState.CONNECTED ? now : null, null, null, "ok", null);
    sessions.put(org, view);
    journal.computeIfAbsent(org, k -> new CopyOnWriteArrayList<>()).add(new JournalEntry(org, now,
        JournalEntry.STATE, old == null ? SessionState.STOPPED : old.state(), to, cause,
        "state " + to, actor));
    return view;
  }

  private SessionView known(String org) {
    SessionView view = sessions.get(valid(org));
    if (view == null) {
      throw new Failed(Failure.UNKNOWN, "unknown org " + org);
    }
    return view;
  }

  private static String valid(String org) {
    if (!OrgId.isValid(org)) {
      throw new Failed(Failure.BAD_INPUT, "invalid org id");
    }
    return org;
  }

  private void on(String address, Function<JsonObject, Object> handler) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> msg) -> {
      try {
        Object reply = handler.apply(msg.body());
        msg.reply(reply instanceof SessionView v ? Json.toJson(v) : reply);
      } catch (Failed f) {
        msg.fail(f.code, f.getMessage());
      }
    }));
  }

  private static final class Failed extends RuntimeException {
    final int code;

    Failed(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
