package dev.vigia.gateway.engine.baileys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A WebSocket server on 127.0.0.1 at {@code /ws/chat} standing in for WhatsApp: it records the
 * connections and first frames Baileys sends, and closes connections on request. It does not speak
 * WhatsApp's Noise protocol, so Baileys never gets further than its handshake.
 */
final class FakeWhatsAppServer {

  /** The first binary frame of one connection (Baileys' Noise prologue starts with "WA"). */
  record Hello(ServerWebSocket socket, Buffer frame) {}

  final BlockingQueue<Hello> hellos = new LinkedBlockingQueue<>();
  final List<ServerWebSocket> open = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private FakeWhatsAppServer(HttpServer server) {
    this.server = server;
  }

  static Future<FakeWhatsAppServer> start(Vertx vertx) {
    HttpServer http = vertx.createHttpServer();
    FakeWhatsAppServer fake = new FakeWhatsAppServer(http);
    http.webSocketHandler(ws -> {
      if (!"/ws/chat".equals(ws.path())) {
        ws.close((short) 1008, "unknown path");
        return;
      }
      fake.open.add(ws);
      ws.closeHandler(v -> fake.open.remove(ws));
      boolean[] first = {true};
      ws.handler(frame -> {
        if (first[0]) {
          first[0] = false;
          fake.hellos.add(new Hello(ws, frame));
        }
      });
    });
    return http.listen(0, "127.0.0.1").map(s -> fake);
  }

  String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws/chat";
  }

  Future<Void> stop() {
    return server.close();
  }
}
