package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's subcommands as a newcomer runs them: {@code import-baileys} brings an existing
 * Baileys folder in (and a linked one comes up linked, without a QR), refuses a corrupt one naming
 * the file, and {@code user add} creates a user who can log in.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SubcommandsIT {

  @TempDir Path data;
  @TempDir Path work;
  Process server;
  int port;

  record Run(int exit, String output) {}

  Run run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the subcommand ends by itself");
    return new Run(p.exitValue(), out);
  }

  /** The repository's real Baileys folder of a linked org (test-fixtures/baileys/README.md). */
  static Path fixture() {
    String dir = java.util.Objects.requireNonNull(System.getProperty("vigia.fixtures.dir"),
        "vigia.fixtures.dir is not set: run the tests through Maven (the parent pom sets it)");
    return Path.of(dir, "baileys", "auth-org");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void importedLinkedFolderComesUpConnectedWithoutAQr(Vertx vertx) throws Exception {
    Run imported = run(Map.of(), "import-baileys", fixture().toString(), "--org", "7");
    assertEquals(0, imported.exit(), imported.output());
    long files;
    try (Stream<Path> s = Files.list(fixture())) {
      files = s.count();
    }
    assertTrue(imported.output().contains("imported " + files + " files for org 7"), imported.output());

    Run again = run(Map.of(), "import-baileys", fixture().toString(), "--org", "7");
    assertNotEquals(0, again.exit(), "importing over existing state is refused");

    Run unknownOrg = run(Map.of("VIGIA_NEW_PASSWORD", "operator-seven"),
        "user", "add", "luis", "--role", "operator", "--org", "7");
    assertNotEquals(0, unknownOrg.exit());
    assertTrue(unknownOrg.output().contains("organization 7 does not exist"), unknownOrg.output());
    Run user = run(Map.of("VIGIA_NEW_PASSWORD", "second-admin"), "user", "add", "luis", "--role", "admin");
    assertEquals(0, user.exit(), user.output());
    Run shortPassword = run(Map.of("VIGIA_NEW_PASSWORD", "short"), "user", "add", "eva");
    assertNotEquals(0, shortPassword.exit());

    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar"));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(port));
    pb.environment().put("VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD);
    pb.environment().put("VIGIA_ENGINE", "simulated");
    pb.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
    server = pb.start();

    // a second writer while the server runs is refused by the data-dir lock; luis, added by the
    // subcommand, is the admin (no first-start admin is made when a user exists)
    ApiClient admin = new ApiClient(vertx, port);
    awaitLogin(admin);
    ApiClient firstAdmin = new ApiClient(vertx, port);
    assertEquals(401, firstAdmin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    Run locked = run(Map.of(), "import-baileys", fixture().toString(), "--org", "9");
    assertNotEquals(0, locked.exit());
    assertTrue(locked.output().contains("in use by another Vigía process"), locked.output());

    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "7").put("name", "Óptica"))
        .statusCode());
    ApiClient luis = admin;
    assertEquals(202, luis.post("/api/sessions/7/connect", new JsonObject()).statusCode());
    JsonObject linked = luis.await("/api/sessions/7", s -> "CONNECTED".equals(s.getString("state")), 15);
    assertTrue(linked.getJsonObject("me").getString("jid").startsWith("5215550000001"),
        "the imported account: " + linked);
    assertFalse(luis.json(luis.get("/api/sessions/7/events?limit=100")).getJsonArray("entries")
        .stream().anyMatch(e -> "QR_REQUIRED".equals(((JsonObject) e).getString("to"))),
        "an imported linked session needs no QR");
  }

  @Test
  void aCorruptFolderIsRefusedNamingTheFileAndNothingIsImported() throws Exception {
    Path bad = work.resolve("auth_sessions/8");
    Files.createDirectories(bad);
    try (Stream<Path> s = Files.list(fixture())) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Files.copy(f, bad.resolve(f.getFileName()));
      }
    }
    byte[] creds = Files.readAllBytes(bad.resolve("creds.json"));
    Files.write(bad.resolve("creds.json"), java.util.Arrays.copyOf(creds, creds.length / 2));

    Run refused = run(Map.of(), "import-baileys", bad.toString(), "--org", "8");
    assertNotEquals(0, refused.exit());
    assertTrue(refused.output().contains("creds.json"), refused.output());
    assertFalse(refused.output().contains("\tat "), "no stack trace: " + refused.output());
    assertFalse(Files.exists(data.resolve("auth_sessions/8")), "nothing half-imported");

    Run badOrg = run(Map.of(), "import-baileys", fixture().toString(), "--org", "../x");
    assertNotEquals(0, badOrg.exit());
    assertTrue(badOrg.output().contains("--org"), badOrg.output());
  }

  @Test
  void aConfigFileGivenAnywhereOnTheLineIsReadAndTheEnvironmentWins() throws Exception {
    Path fromFile = work.resolve("from-file");
    Path config = work.resolve("vigia.json");
    Files.writeString(config, "{\"VIGIA_DATA_DIR\": \"" + fromFile + "\", \"VIGIA_STALE_DAYS\": 7}");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (List<String> args : List.of(
        List.of("--config", config.toString(), "user", "add", "ana", "--role", "admin"),
        List.of("user", "add", "eva", "--role", "admin", "--config", config.toString()))) {
      List<String> cmd = new ArrayList<>(List.of(java, "-jar", System.getProperty("vigia.jar")));
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("VIGIA_DATA_DIR");
      pb.environment().put("VIGIA_NEW_PASSWORD", "from-the-config");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
    }
    String accounts = Files.readString(fromFile.resolve("accounts/accounts.json"));
    assertTrue(accounts.contains("\"ana\"") && accounts.contains("\"eva\""), accounts);
    assertFalse(Files.exists(data.resolve("accounts")), "the config file chose the data dir");

    Run bad = run(Map.of(), "--config", work.resolve("missing.json").toString(), "user", "add", "x");
    assertNotEquals(0, bad.exit());
    assertTrue(bad.output().contains("--config"), bad.output());
  }

  @Test
  void simWhatsAppServesTheSimulatedWhatsAppThatNodesShare() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar"), "sim-whatsapp", "--port", String.valueOf(port));
    pb.redirectErrorStream(true).redirectOutput(work.resolve("sim.log").toFile());
    server = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      assertTrue(server.isAlive(), "it serves: " + Files.readString(work.resolve("sim.log")));
      try (var socket = new java.net.Socket("127.0.0.1", port);
          var in = new java.io.BufferedReader(new java.io.InputStreamReader(
              socket.getInputStream(), StandardCharsets.UTF_8))) {
        socket.setSoTimeout(10_000);
        assertEquals("hello", new JsonObject(in.readLine()).getString("event"));
        socket.getOutputStream().write("{\"id\":1,\"op\":\"link\",\"phone\":\"5215550001\"}\n"
            .getBytes(StandardCharsets.UTF_8));
        assertEquals("5215550001:1@s.whatsapp.net", new JsonObject(in.readLine()).getString("jid"));
        return;
      } catch (java.net.ConnectException notYet) {
        assertTrue(System.nanoTime() < deadline, "sim-whatsapp did not start");
        Thread.sleep(100);
      }
    }
  }

  void awaitLogin(ApiClient admin) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertTrue(server.isAlive(), "server runs: " + Files.readString(work.resolve("server.log")));
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        assertEquals(200, admin.login("luis", "second-admin").statusCode());
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("server did not start");
  }
}
