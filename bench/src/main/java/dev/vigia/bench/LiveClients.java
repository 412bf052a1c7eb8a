package dev.vigia.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The dashboards of the fan-out bench, all in one process on one event loop with non-blocking
 * sockets: {@code GET /api/stream} responses, or sockets of the event-bus bridge speaking its
 * frames ({@code register}, {@code ping}) as the official client does.
 */
final class LiveClients {

  /** The bridge lets one socket register this many addresses. */
  static final int ADDRESSES_PER_SOCKET = 1000;

  private final Vertx vertx;
  private final int port;
  private final HttpClientAgent http;
  private final WebSocketClient ws;
  final List<LiveReceiver> receivers = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private long pingTimer = -1;

  LiveClients(Vertx vertx, int port, int connections) {
    this.vertx = vertx;
    this.port = port;
    this.http = vertx.createHttpClient(new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(connections + 1));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(connections + 1));
  }

  /**
   * One {@code /api/stream}, with {@code header: value} as its credential (the admin's cookie:
   * every org; an API key: its org).
   */
  Future<Void> sse(String header, String value, LiveReceiver receiver) {
    receivers.add(receiver);
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(port).setURI("/api/stream").addHeader(header, value))
        .compose(req -> req.send())
        .map(resp -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("/api/stream answered " + resp.statusCode());
          }
          resp.handler(buf -> receiver.sseChunk(buf.toString()));
          resp.endHandler(v -> receiver.closed = true);
          resp.exceptionHandler(e -> receiver.closed = true);
          return null;
        });
  }

  /** One bridge socket registering {@code vigia.session.state.<org>} for each followed org. */
  Future<Void> bridge(String header, String value, LiveReceiver receiver) {
    receivers.add(receiver);
    return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/eventbus/websocket").addHeader(header, value))
        .map(socket -> {
          sockets.add(socket);
          // the bridge writes its frames as binary WebSocket messages: take every data message
          socket.handler(frame -> receiver.bridgeFrame(frame.toString()));
          socket.closeHandler(v -> receiver.closed = true);
          socket.exceptionHandler(e -> receiver.closed = true);
          for (String org : receiver.follows) {
            socket.writeTextMessage(new JsonObject().put("type", "register")
                .put("address", "vigia.session.state." + org).encode());
          }
          if (pingTimer < 0) {
            // the bridge closes a socket silent for 10 s; the official client pings every 5 s
            pingTimer = vertx.setPeriodic(5000, id -> sockets.forEach(
                s -> s.writeTextMessage("{\"type\":\"ping\"}")));
          }
          return null;
        });
  }

  /** Splits {@code orgs} into the sockets one bridge dashboard needs to follow them all. */
  static List<List<String>> perSocket(List<String> orgs) {
    List<List<String>> slices = new ArrayList<>();
    for (int i = 0; i < orgs.size(); i += ADDRESSES_PER_SOCKET) {
      slices.add(orgs.subList(i, Math.min(orgs.size(), i + ADDRESSES_PER_SOCKET)));
    }
    return slices;
  }

  static BiConsumer<String, String> none() {
    return null;
  }

  Future<Void> close() {
    vertx.cancelTimer(pingTimer);
    return Future.join(http.close(), ws.close()).mapEmpty();
  }
}
