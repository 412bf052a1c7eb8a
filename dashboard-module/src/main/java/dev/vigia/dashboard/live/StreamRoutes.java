package dev.vigia.dashboard.live;

import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.web.Authenticator;
import dev.vigia.dashboard.web.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
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
  private final LiveFeed feed;

  public StreamRoutes(Vertx vertx, Authenticator auth, Duration heartbeat, OpenStreams streams,
      LiveFeed feed) {
    this.vertx = vertx;
    this.auth = auth;
    this.heartbeat = heartbeat;
    this.streams = streams;
    this.feed = feed;
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

    boolean[] closed = new boolean[1];
    LiveFeed.Subscription[] subscription = new LiveFeed.Subscription[1];
    OpenStreams.Registration[] registration = new OpenStreams.Registration[1];
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
      if (!closed[0]) {
        response.write(": heartbeat\n\n");
      }
    });
    Runnable close = () -> {
      if (!closed[0]) {
        closed[0] = true;
        vertx.cancelTimer(timer);
        if (subscription[0] != null) {
          subscription[0].cancel();
        }
        if (registration[0] != null) {
          registration[0].remove();
        }
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      }
    };
    response.closeHandler(v -> close.run());
    response.exceptionHandler(err -> close.run());
    // revoking the key, changing the user or logging out ends the stream
    registration[0] = streams.add(new OpenStreams.Opener(caller, Authenticator.loginId(ctx)), close);
    // an admin follows every org; anyone else its own
    subscription[0] = feed.subscribe(caller, caller.isAdmin() ? null : caller.orgs(), batch -> {
      if (closed[0]) {
        return;
      }
      if (response.writeQueueFull()) {
        // a client that does not read loses the stream; it reconnects and reads the state anew
        LOG.info("closing a state stream whose client does not keep up");
        close.run();
        return;
      }
      // a batch is one write: one chunk, one system call, however many changes it holds
      response.write(batch.sse());
    });
  }
}
