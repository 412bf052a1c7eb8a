package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: "/health/ready covers store and engine", through the running app: ready while the
 * gateway, its auth-state store and its engine work; 503 naming the part that does not.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ReadinessScenarioTest {

  @TempDir Path data;
  Vigia vigia;

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  private ApiClient start(Vertx vertx) {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data), Clock.systemUTC()));
    return new ApiClient(vertx, vigia.httpPort());
  }

  private static String status(JsonObject ready, String check) {
    return ready.getJsonObject("checks").getJsonObject(check).getString("status");
  }

  @Test
  void readyWhileGatewayStoreAndEngineWork(Vertx vertx) {
    HttpResponse<Buffer> r = start(vertx).get("/health/ready");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject ready = r.bodyAsJsonObject();
    assertEquals("UP", ready.getString("status"));
    for (String check : new String[] {"gateway", "store", "engine"}) {
      assertEquals("UP", status(ready, check), check);
    }
  }

  @Test
  void notReadyWhenTheSessionsFolderCannotBeWritten(Vertx vertx) throws Exception {
    ApiClient anyone = start(vertx);
    assertEquals(200, anyone.get("/health/ready").statusCode());
    // tests run as root, where chmod 000 does not stop writes: a file where the folder should be
    Path sessions = data.resolve("auth_sessions");
    try (Stream<Path> all = Files.walk(sessions)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.writeString(sessions, "not a folder");

    HttpResponse<Buffer> r = anyone.get("/health/ready");
    assertEquals(503, r.statusCode(), r.bodyAsString());
    JsonObject down = r.bodyAsJsonObject();
    assertEquals("DOWN", down.getString("status"));
    assertEquals("DOWN", status(down, "store"));
    assertTrue(down.getJsonObject("checks").getJsonObject("store").getString("detail")
        .contains("auth_sessions"), down.encode());
    assertEquals("UP", status(down, "gateway"));
    assertEquals("UP", status(down, "engine"));
    assertEquals(200, anyone.get("/health").statusCode(), "the process itself still answers");
  }

  @Test
  void notReadyWithoutTheGateway(Vertx vertx) {
    ApiClient anyone = start(vertx);
    assertEquals(200, anyone.get("/health/ready").statusCode());
    ApiClient.await(vigia.undeployGateway());

    HttpResponse<Buffer> r = anyone.get("/health/ready");
    assertEquals(503, r.statusCode(), r.bodyAsString());
    JsonObject down = r.bodyAsJsonObject();
    assertEquals("DOWN", down.getString("status"));
    assertEquals("DOWN", status(down, "gateway"));
    assertEquals("not_ready", down.getString("code"));
  }
}
