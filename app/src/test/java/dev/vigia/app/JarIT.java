package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's start line: the real fat jar in a child process serves {@code /health}; a linked
 * session survives a real process restart; a second process on the same data dir is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class JarIT {

  private static final Logger LOG = LoggerFactory.getLogger(JarIT.class);

  @TempDir Path data;
  @TempDir Path logs;
  Process process;
  int port;

  Process launch(String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar"));
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(port));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_ENGINE", "simulated");
    pb.environment().put("VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD);
    pb.environment().put("VIGIA_SIM_RESTART_MS", "50");
    pb.redirectErrorStream(true);
    pb.redirectOutput(logs.resolve(name + ".log").toFile());
    return pb.start();
  }

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void theStartLineServesHealthAndALinkedSessionSurvivesAProcessRestart(Vertx vertx)
      throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    process = launch("first");
    awaitHealth();
    LOG.info("vigia.jar served /health {} ms after launch", (System.nanoTime() - t0) / 1_000_000);
    String url = "http://127.0.0.1:" + port;
    boolean logged = Files.readAllLines(logs.resolve("first.log")).stream()
        .filter(l -> l.startsWith("{"))
        .map(JsonObject::new)
        .anyMatch(l -> l.getString("formattedMessage", "").contains(url));
    assertTrue(logged, "logs the URL it serves as a JSON line");

    ApiClient admin = new ApiClient(vertx, port);
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    admin.post("/api/sessions/2/connect", new JsonObject());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 15);
    admin.post("/api/sim/sessions/2/scan", new JsonObject());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);

    // a second process on the same data dir is refused with a clear line
    Process second = launch("second");
    assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second process exits by itself");
    assertTrue(second.exitValue() != 0);
    assertTrue(Files.readString(logs.resolve("second.log")).contains("in use by another Vigía process"));

    // SIGTERM, then start again: org 2 is linked again without a QR
    process.destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
    process = launch("third");
    awaitHealth();
    ApiClient again = new ApiClient(vertx, port);
    assertEquals(200, again.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    again.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);
    List<String> states = SpineScenarioTest.journal(again).stream()
        .map(e -> ((JsonObject) e).getString("to")).limit(3).toList();
    assertTrue(!states.contains("QR_REQUIRED"), "no QR after the restart: " + states);
  }

  void awaitHealth() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), "the process is still running");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no /health within 30 s");
  }
}
