package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code VIGIA_ENGINE=baileys} through the running app: the real Node bridge is installed into the
 * data dir and started, a connect makes the real Baileys dial the configured server (a fake
 * WhatsApp on 127.0.0.1, never WhatsApp's own), fresh creds land in the store, and when the
 * server drops the connection the monitor reconnects through the engine. Needs node 20+ and npm.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, timeUnit = TimeUnit.SECONDS)
class BaileysEngineScenarioTest {

  @TempDir Path data;
  Vigia vigia;
  HttpServer fake;

  /** The store it runs with: the files; {@link PgBaileysEngineScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    if (fake != null) {
      ApiClient.await(fake.close());
    }
  }

  @Test
  void theBaileysEngineConnectsThroughTheRealBridgeAndTheMonitorReconnectsAfterADrop(Vertx vertx)
      throws Exception {
    BlockingQueue<ServerWebSocket> dialed = new LinkedBlockingQueue<>();
    fake = ApiClient.await(vertx.createHttpServer().webSocketHandler(ws -> {
      boolean[] first = {true};
      // Baileys speaks first (its Noise hello); the fake never answers
      ws.handler(frame -> {
        if (first[0]) {
          first[0] = false;
          dialed.add(ws);
        }
      });
    }).listen(0, "127.0.0.1"));
    Map<String, String> settings = new HashMap<>(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "baileys",
        "VIGIA_BAILEYS_WS_URL", "ws://127.0.0.1:" + fake.actualPort() + "/ws/chat",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD));
    settings.putAll(store().settings());
    VigiaConfig config = VigiaConfig.fromMap(settings);
    vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());

    // the first start installs Baileys (npm ci) into the data dir: ready once it runs
    HttpResponse<Buffer> ready = admin.get("/health/ready");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (ready.statusCode() != 200 && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(500); // the test thread, not an event loop
      ready = admin.get("/health/ready");
    }
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertTrue(Files.isDirectory(data.resolve("engine/baileys/node_modules/@whiskeysockets/baileys")));

    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "e2e").put("name", "E2E"))
        .statusCode());
    HttpResponse<Buffer> connect = admin.post("/api/sessions/e2e/connect",
        new JsonObject().put("method", "qr"));
    assertEquals(202, connect.statusCode(), connect.bodyAsString());

    ServerWebSocket first = dialed.poll(60, TimeUnit.SECONDS);
    assertNotNull(first, "Baileys never dialed the configured server");
    byte[] stored = store().creds(vigia, "e2e");
    assertNotNull(stored, "no creds stored");
    JsonObject creds = new JsonObject(new String(stored, StandardCharsets.UTF_8));
    assertEquals("Buffer", creds.getJsonObject("noiseKey").getJsonObject("private").getString("type"));

    ApiClient.await(first.close());
    ServerWebSocket second = dialed.poll(60, TimeUnit.SECONDS);
    assertNotNull(second, "the monitor did not reconnect after the drop");
    HttpResponse<Buffer> events = admin.get("/api/sessions/e2e/events?limit=50");
    assertTrue(events.bodyAsString().contains("RECONNECTING"), events.bodyAsString());
  }
}
