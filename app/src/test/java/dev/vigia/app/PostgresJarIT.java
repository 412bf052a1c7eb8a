package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar with {@code VIGIA_STORE=postgres}: it migrates a new database from the scripts
 * inside the jar and serves; PostgreSQL that cannot be reached stops it with one line and no
 * stack trace.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class PostgresJarIT {

  @TempDir Path data;
  @TempDir Path logs;
  Process process;

  Process launch(String name, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar"));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_ENGINE", "simulated");
    pb.environment().put("VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD);
    pb.environment().put("VIGIA_STORE", "postgres");
    pb.environment().putAll(env);
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
  void theJarMigratesANewDatabaseAndKeepsItsAuthStateThere(Vertx vertx) throws Exception {
    PgSettings db = TestPostgres.newDatabase();
    int port = freePort();
    process = launch("serve", Map.of("VIGIA_PG_URL", db.toUrl(),
        "VIGIA_HTTP_PORT", String.valueOf(port)));
    awaitHealth(port);
    ApiClient admin = new ApiClient(vertx, port);
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    admin.post("/api/sessions/2/connect", new JsonObject());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 15);
    admin.post("/api/sim/sessions/2/scan", new JsonObject());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);
    assertFalse(Files.exists(data.resolve("auth_sessions/2")), "the creds went to PostgreSQL");
    List<String> messages = Files.readAllLines(logs.resolve("serve.log")).stream()
        .filter(l -> l.startsWith("{")).map(l -> new JsonObject(l).getString("formattedMessage", ""))
        .toList();
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("every store in PostgreSQL " + db.where())),
        "says where the state lives");
    assertTrue(messages.stream().noneMatch(m -> m.contains(db.password())), "never the password");
  }

  @Test
  void postgresThatCannotBeReachedStopsTheJarWithOneLine() throws Exception {
    int closed = freePort();
    process = launch("down", Map.of("VIGIA_HTTP_PORT", String.valueOf(freePort()),
        "VIGIA_PG_URL", "postgresql://vigia:s3cret-pw@127.0.0.1:" + closed + "/vigia"));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits by itself");
    assertNotEquals(0, process.exitValue());
    List<String> lines = Files.readAllLines(logs.resolve("down.log"));
    List<String> said = lines.stream().filter(l -> l.startsWith("vigia: ")).toList();
    assertEquals(1, said.size(), String.join("\n", lines));
    assertTrue(said.get(0).contains("PostgreSQL vigia@127.0.0.1:" + closed + "/vigia (VIGIA_PG_URL)"),
        said.get(0));
    assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("at ")), "no stack trace");
    assertTrue(lines.stream().noneMatch(l -> l.contains("s3cret-pw")), "never the password");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  void awaitHealth(int port) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), "the process is still running");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no /health within 60 s");
  }
}
