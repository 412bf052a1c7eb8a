package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, step 6: with {@code baileys} (the default) and a Node older than 20, Vigía still starts,
 * says why the engine cannot run in one line, and the readiness check (which the page shows on every
 * page) says what to do.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class EngineUnavailableTest {

  @TempDir Path data;
  @TempDir Path bin;
  Vigia vigia;
  ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    ((Logger) LoggerFactory.getLogger(Vigia.class)).detachAppender(lines);
  }

  @Test
  void aNodeOlderThan20IsSaidOnceAtStartAndTheReadinessCheckNamesTheFix(Vertx vertx) throws Exception {
    Path oldNode = bin.resolve("node");
    Files.writeString(oldNode, "#!/bin/sh\necho v18.19.0\n");
    Files.setPosixFilePermissions(oldNode, PosixFilePermissions.fromString("rwx------"));
    lines.start();
    ((Logger) LoggerFactory.getLogger(Vigia.class)).addAppender(lines);
    // no VIGIA_ENGINE: the default is the real engine
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_NODE", oldNode.toString(),
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD));
    assertEquals("baileys", config.engine());

    vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));

    ApiClient anyone = new ApiClient(vertx, vigia.httpPort());
    HttpResponse<Buffer> ready = anyone.get("/health/ready");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("engine").containsKey("detail")
        && System.nanoTime() < until) {
      Thread.sleep(100); // the test thread
      ready = anyone.get("/health/ready");
    }
    assertEquals(503, ready.statusCode());
    JsonObject engine = ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("engine");
    assertEquals("DOWN", engine.getString("status"));
    assertEquals("baileys", engine.getString("name"));
    assertTrue(engine.getString("detail").contains("needs Node 20 or newer"), engine.encode());
    assertTrue(engine.getString("detail").contains("VIGIA_NODE"), engine.encode());
    List<ILoggingEvent> errors = lines.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertEquals(1, errors.size(), errors.toString());
    String line = errors.get(0).getFormattedMessage();
    assertTrue(line.contains("v18.19.0") && line.contains("Node 20") && !line.contains("\n"), line);
  }

  @Test
  void theSimulatedEngineIsNamedSoThePageCanSayItIsADemo(Vertx vertx) throws Exception {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data), Clock.systemUTC()));

    JsonObject engine = new ApiClient(vertx, vigia.httpPort()).await("/health/ready", r -> true, 10)
        .getJsonObject("checks").getJsonObject("engine");

    assertEquals("simulated", engine.getString("name"));
  }
}
