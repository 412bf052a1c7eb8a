package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stream}: Server-Sent Events with every {@link StateChange} of the caller's orgs
 * and of no other ({@code event: state}, {@code id: <seq>}, {@code data: <json>}), a comment line
 * as heartbeat so proxies keep the connection open. API keys never receive a QR or pairing code.
 */
public final class StreamRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(StreamRoutes.class);
  public static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final Authenticator auth;
  private final Duration heartbeat;
  private final OpenStreams streams;

  public StreamRoutes(Vertx vertx, Authenticator auth, Duration heartbeat, OpenStreams streams) {
    this.vertx = vertx;
    this.auth = auth;
    this.heartbeat = heartbeat;
    this.streams = streams;
  }

  public void mount(Router router) {
    router.get("/api/stream").handler(auth.userOrKey()).handler(this::stream);
  }

  private void stream(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    HttpServerResponse response = ctx.response();
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    // the first bytes make the client see an open stream even before any change
    response.write("retry: 3000\n: connected\n\n");

    // an admin follows every org; anyone else subscribes to its own orgs' addresses only
    List<String> addresses = caller.isAdmin() ? List.of(StateChange.ADDRESS)
        : caller.orgs().stream().distinct().map(StateChange::addressFor).toList();
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    AtomicBoolean closed = new AtomicBoolean();
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
      if (!closed.get()) {
        response.write(": heartbeat\n\n");
      }
    });
    OpenStreams.Registration[] registration = new OpenStreams.Registration[1];
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        consumers.forEach(MessageConsumer::unregister);
        if (registration[0] != null) {
          registration[0].remove();
        }
      }
    };
    response.closeHandler(v -> close.run());
    response.exceptionHandler(err -> close.run());
    response.endHandler(v -> close.run());
    // revoking the key or changing the user ends the stream: its caller was decided at opening
    registration[0] = streams.add(caller, () -> {
      close.run();
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    });
    for (String address : addresses) {
      consumers.add(vertx.eventBus().consumer(address, msg -> {
        if (closed.get()) {
          return;
        }
        String event = sseEvent(caller, msg);
        if (event == null) {
          return;
        }
        if (response.writeQueueFull()) {
          // a client that does not read loses the stream; it reconnects and reads the state anew
          LOG.info("closing a state stream whose client does not keep up");
          close.run();
          response.end();
          return;
        }
        response.write(event);
      }));
    }
  }

  /** The SSE text of one change, or null when this caller may not see it. */
  private static String sseEvent(Caller caller, Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject json)) {
      return null;
    }
    StateChange change;
    try {
      change = Json.fromJson(json, StateChange.class);
    } catch (RuntimeException e) {
      LOG.warn("ignoring a state change that cannot be read on {}", msg.address());
      return null;
    }
    if (change.org() == null || !caller.mayAccess(change.org())) {
      return null;
    }
    StateChange visible = caller.isKey() ? change.withoutSecrets() : change;
    return "event: state\nid: " + visible.seq() + "\ndata: " + Json.toJson(visible).encode()
        + "\n\n";
  }
}
