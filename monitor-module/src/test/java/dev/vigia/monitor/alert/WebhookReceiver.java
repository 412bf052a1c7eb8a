package dev.vigia.monitor.alert;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 that records every webhook POST and answers {@code status}. */
final class WebhookReceiver {

  /** One request as it arrived: headers and the exact body bytes. */
  record Received(String path, MultiMap headers, Buffer body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int status;

  private WebhookReceiver(HttpServer server, int status) {
    this.server = server;
    this.status = status;
  }

  /** Starts on a free port; answers {@code status} to every request. */
  static Future<WebhookReceiver> start(Vertx vertx, int status) {
    HttpServer server = vertx.createHttpServer();
    WebhookReceiver receiver = new WebhookReceiver(server, status);
    server.requestHandler(req -> req.body().onSuccess(body -> {
      receiver.received.add(new Received(req.path(), MultiMap.caseInsensitiveMultiMap()
          .addAll(req.headers()), body));
      req.response().setStatusCode(receiver.status).end();
    }));
    return server.listen(0, "127.0.0.1").map(s -> receiver);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  List<Received> received() {
    return received;
  }
}
