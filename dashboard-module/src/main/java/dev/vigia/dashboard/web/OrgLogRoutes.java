package dev.vigia.dashboard.web;

import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.logging.OrgLogLines;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.live.OpenStreams;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One org's logs (the old {@code pm2 logs whatsapp-server --lines 50}): its journal and the
 * server's log lines about it ({@code mdc.org}), for the org's people and admins, never API keys.
 * {@code GET /api/sessions/{org}/logs?lines=50} answers the last lines of both, oldest first;
 * {@code GET …/logs/stream} follows both live as Server-Sent Events ({@code event: journal},
 * {@code event: log}). The lines are the JSON lines the server writes to stdout, which never hold
 * a secret.
 */
public final class OrgLogRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OrgLogRoutes.class);
  public static final int DEFAULT_LINES = 50;
  public static final int MAX_LINES = 1000;

  private final Vertx vertx;
  private final GatewayClient gateway;
  private final Authenticator auth;
  private final OrgLogLines lines;
  private final OpenStreams streams;
  private final Duration heartbeat;

  public OrgLogRoutes(Vertx vertx, GatewayClient gateway, Authenticator auth, OrgLogLines lines,
      OpenStreams streams, Duration heartbeat) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.auth = auth;
    this.lines = lines;
    this.streams = streams;
    this.heartbeat = heartbeat;
  }

  public void mount(Router router) {
    router.get("/api/sessions/:org/logs").handler(auth.org()).handler(auth.user())
        .handler(this::recent);
    router.get("/api/sessions/:org/logs/stream").handler(auth.org()).handler(auth.user())
        .handler(this::follow);
  }

  private void recent(RoutingContext ctx) {
    String org = orgOfCaller(ctx);
    int n = count(ctx.queryParams().get("lines"));
    gateway.journal(new JournalQuery(org, n)).onSuccess(page -> {
      List<JsonObject> journal = new ArrayList<>();
      if (page != null && page.entries() != null) {
        page.entries().forEach(e -> journal.add(dev.vigia.common.Json.toJson(e)));
      }
      Collections.reverse(journal); // oldest first, as a log reads
      JsonArray log = new JsonArray();
      lines.recent(org, n).forEach(line -> log.add(parse(line)));
      JsonResponses.send(ctx, 200, new JsonObject().put("org", org)
          .put("journal", new JsonArray(journal)).put("log", log));
    }).onFailure(ctx::fail);
  }

  private static int count(String raw) {
    if (raw == null) {
      return DEFAULT_LINES;
    }
    int n;
    try {
      n = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > MAX_LINES) {
      throw ApiException.invalidField("lines", "must be a whole number from 1 to " + MAX_LINES);
    }
    return n;
  }

  private void follow(RoutingContext ctx) {
    String org = orgOfCaller(ctx);
    Caller caller = Authenticator.caller(ctx);
    Context context = vertx.getOrCreateContext();
    HttpServerResponse response = ctx.response();
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 3000\n: following the logs of org " + org + "\n\n");

    boolean[] closed = new boolean[1];
    Runnable[] stopLines = new Runnable[1];
    @SuppressWarnings("unchecked")
    MessageConsumer<Object>[] journal = new MessageConsumer[1];
    OpenStreams.Registration[] registration = new OpenStreams.Registration[1];
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
      if (!closed[0]) {
        response.write(": heartbeat\n\n");
      }
    });
    Runnable close = () -> {
      if (closed[0]) {
        return;
      }
      closed[0] = true;
      vertx.cancelTimer(timer);
      if (stopLines[0] != null) {
        stopLines[0].run();
      }
      if (journal[0] != null) {
        journal[0].unregister();
      }
      if (registration[0] != null) {
        registration[0].remove();
      }
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    };
    java.util.function.BiConsumer<String, String> send = (event, data) -> {
      if (closed[0]) {
        return;
      }
      if (response.writeQueueFull()) {
        // a client that does not read loses the stream; it reconnects and reads the last lines
        LOG.info("closing a log stream whose client does not keep up");
        close.run();
        return;
      }
      response.write("event: " + event + "\ndata: " + data + "\n\n");
    };
    response.closeHandler(v -> close.run());
    response.exceptionHandler(err -> close.run());
    // revoking the token, changing the user or logging out ends the stream
    registration[0] = streams.add(new OpenStreams.Opener(caller, Authenticator.loginId(ctx)),
        () -> context.runOnContext(v -> close.run()));
    // the monitor publishes each line as JSON text; a JsonObject is read as well
    journal[0] = vertx.eventBus().<Object>consumer(JournalEntry.addressFor(org),
        m -> send.accept("journal", m.body() instanceof JsonObject json ? json.encode()
            : String.valueOf(m.body())));
    // log calls happen on any thread: each line is written from this stream's context
    stopLines[0] = lines.follow(org, line -> context.runOnContext(v -> send.accept("log",
        parse(line).encode())));
  }

  /** A stored line as JSON; one that is not (another log configuration) as its text. */
  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      return new JsonObject().put("message", line);
    }
  }

  private static String orgOfCaller(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    Authenticator.caller(ctx).requireAccess(org);
    return org;
  }
}
