package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.dashboard.account.AdminTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 §2 through the fat jar, as an operator at the server's terminal meets it: every old
 * runbook command's replacement ({@code vigia status}, {@code logs [-f]}, {@code clear},
 * {@code restart-engine}, {@code doctor}, {@code user token}) against the running server with an
 * admin token, then against the data dir of the stopped server; each says which it used, and
 * what it does to an org is in that org's journal with who did it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class RunbookIT {

  @TempDir Path data;
  @TempDir Path logs;
  Process server;
  final List<Process> others = new ArrayList<>();
  int port;
  /** Stands in for WhatsApp's address: the network check's target, on 127.0.0.1. */
  ServerSocket whatsapp;

  record Run(int exit, String out, String err) {}

  /** The store the server and the commands use: the files; {@link PgRunbookIT}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }

  @AfterEach
  void stop() throws IOException {
    others.forEach(Process::destroyForcibly);
    if (server != null) {
      server.destroyForcibly();
    }
    if (whatsapp != null) {
      whatsapp.close();
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIA_DATA_DIR", data.toString());
    env.put("VIGIA_ENGINE", "simulated"); // the commands read the server's configuration
    env.put("VIGIA_NETWORK_TARGET", "127.0.0.1:" + whatsapp.getLocalPort());
    // this test is not about the machine's disk: no warning whatever its free space
    env.put("VIGIA_DISK_WARN_PERCENT", "0");
    env.put("VIGIA_DISK_WARN_MB", "0");
    env.putAll(store().settings());
    return env;
  }

  private List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar")));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** One command line of the runbook, to its end (standard output and error apart). */
  Run vigia(Map<String, String> extra, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(args));
    pb.environment().putAll(env());
    pb.environment().putAll(extra);
    Path err = Files.createTempFile(logs, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "vigia " + String.join(" ", args)
        + " ends by itself");
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  private void startServer(String name) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java("serve"));
    pb.environment().putAll(env());
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(port));
    pb.environment().put("VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD);
    pb.environment().put("VIGIA_SIM_RESTART_MS", "50");
    pb.environment().put("VIGIA_CHECK_INTERVAL_SECONDS", "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(logs.resolve(name + ".log").toFile());
    server = pb.start();
    eventually(() -> server.isAlive() && Files.exists(data.resolve("server.json")),
        "the server writes server.json once it listens", Duration.ofSeconds(60));
  }

  @Test
  void everyOldCommandHasASafeEquivalentOnTheRunningServerAndOnTheStoppedDataDir(Vertx vertx)
      throws Exception {
    whatsapp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startServer("first");
    ApiClient admin = new ApiClient(vertx, port);
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2")
        .put("name", "CompuEasys")).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "4")
        .put("name", "Cuatro")).statusCode());
    admin.post("/api/sessions/2/connect", new JsonObject());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 15);
    admin.post("/api/sim/sessions/2/scan", new JsonObject());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);

    // without a token the commands say how to get one
    Run refused = vigia(Map.of(), "status");
    assertEquals(1, refused.exit(), refused.err());
    assertTrue(refused.err().contains("vigia user token"), refused.err());

    // `vigia user token admin` logs in to the running server; the token is printed once
    Run token = vigia(Map.of("VIGIA_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD),
        "user", "token", "admin", "--label", "runbook test");
    assertEquals(0, token.exit(), token.err());
    assertTrue(token.err().contains("talking to the running server at http://127.0.0.1:" + port),
        token.err());
    String adminToken = token.out().trim();
    Map<String, String> withToken = Map.of("VIGIA_TOKEN", adminToken);

    // pm2 status; ls -la auth_sessions/; df -h  ->  vigia status
    Run status = vigia(withToken, "status", "--json");
    assertEquals(0, status.exit(), status.err());
    assertTrue(status.err().contains("talking to the running server at http://127.0.0.1:" + port
        + " (admin token)"), status.err());
    JsonObject report = json(status);
    assertEquals("server", report.getString("source"));
    assertEquals("UP", report.getJsonObject("engine").getString("status"));
    assertEquals("UP", report.getJsonObject("store").getString("status"));
    assertEquals("127.0.0.1:" + whatsapp.getLocalPort(),
        report.getJsonObject("network").getString("target"));
    eventually(() -> "UP".equals(admin.get("/api/ops/status").bodyAsJsonObject()
        .getJsonObject("network").getString("status")), "the network check reaches 127.0.0.1",
        Duration.ofSeconds(20));
    JsonObject disk = report.getJsonObject("disk");
    assertTrue(disk.getLong("freeBytes") > 0 && disk.getLong("dataBytes") > 0, disk.encode());
    assertEquals("CONNECTED", session(report, "2").getString("state"));
    assertEquals("STOPPED", session(report, "4").getString("state"));
    Run table = vigia(withToken, "status", "--org", "2");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("2 ") && l.contains("CompuEasys")
        && l.contains("CONNECTED")), table.out());
    assertFalse(table.out().contains("Cuatro"), "--org 2 shows org 2 only: " + table.out());

    // vigia doctor: nothing wrong but org 4 never linked; then WhatsApp's address goes away
    Run doctor = vigia(withToken, "doctor", "--json");
    JsonArray problems = json(doctor).getJsonArray("problems");
    assertFalse(problems.encode().contains("network_down"), problems.encode());
    whatsapp.close();
    Run sick = vigia(withToken, "doctor");
    assertEquals(1, sick.exit(), sick.out() + sick.err());
    assertTrue(sick.out().contains("WhatsApp cannot be reached"), sick.out());
    assertTrue(sick.out().contains("fix: check DNS and outbound TCP to 127.0.0.1:"), sick.out());

    // pm2 restart whatsapp-server  ->  vigia restart-engine: asks first, then every open session
    // closes with a cause and comes back through the monitor
    Run unconfirmed = vigia(withToken, "restart-engine");
    assertEquals(1, unconfirmed.exit());
    assertTrue(unconfirmed.err().contains("--yes"), unconfirmed.err());
    Run restarted = vigia(withToken, "restart-engine", "--yes", "--reason", "runbook drill");
    assertEquals(0, restarted.exit(), restarted.out() + restarted.err());
    assertTrue(restarted.out().contains("engine simulated restarted; 1 session(s) reconnecting"),
        restarted.out());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state"))
        && s.getJsonObject("cause") == null, 20);

    // pm2 logs whatsapp-server --lines 50  ->  vigia logs 2: its journal and the server's lines
    Run orgLogs = vigia(withToken, "logs", "2", "--lines", "50");
    assertEquals(0, orgLogs.exit(), orgLogs.err());
    assertTrue(orgLogs.out().contains("WhatsApp engine restarted by user:admin"), orgLogs.out());
    assertTrue(orgLogs.out().contains("(by user:admin (token tok_"),
        "the journal names the admin and the token used: " + orgLogs.out());
    assertTrue(orgLogs.out().lines().anyMatch(l -> l.contains("  INFO  ")
        && l.contains("CONNECTED")), "the server's own lines about org 2: " + orgLogs.out());

    // vigia logs 2 -f follows live; rm -rf auth_sessions/2  ->  vigia clear 2 (asks first)
    StringBuffer followed = new StringBuffer();
    Process follow = follow(withToken, followed, "logs", "2", "-f", "--lines", "1");
    eventually(() -> followed.toString().contains("journal"), "the follower prints the recent"
        + " lines", Duration.ofSeconds(30));
    Run notAsked = vigia(withToken, "clear", "2");
    assertEquals(1, notAsked.exit());
    assertEquals("CONNECTED", admin.get("/api/sessions/2").bodyAsJsonObject().getString("state"));
    Run cleared = vigia(withToken, "clear", "2", "--yes");
    assertEquals(0, cleared.exit(), cleared.err());
    assertTrue(cleared.out().contains("org 2: Sesión limpiada correctamente"), cleared.out());
    eventually(() -> followed.toString().contains("Session cleared by user:admin"),
        "the follower shows the clear as it happens", Duration.ofSeconds(20));
    assertTrue(follow.isAlive(), "-f keeps following");
    follow.destroy();
    assertEquals(1, store().archivedCreds("2"), "the clear archived, never deleted");

    // the server stops: the same commands read the data dir and say so
    admin.post("/api/sessions/4/connect", new JsonObject());
    admin.await("/api/sessions/4", s -> "QR_REQUIRED".equals(s.getString("state")), 15);
    server.destroy();
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");

    Run offline = vigia(Map.of(), "status", "--json");
    assertEquals(0, offline.exit(), offline.err());
    assertTrue(offline.err().contains("no server is running on " + data.toAbsolutePath()
        + "; reading the data dir"), offline.err());
    JsonObject files = json(offline);
    assertEquals("data-dir", files.getString("source"));
    assertEquals("STOPPED", files.getJsonObject("engine").getString("status"));
    assertEquals("UP", files.getJsonObject("store").getString("status"), files.encode());
    assertEquals("STOPPED", session(files, "2").getString("state"));
    assertTrue(session(files, "4").getBoolean("reconnectsAtStart", false), files.encode());

    Run offlineClear = vigia(Map.of(), "clear", "4", "--yes", "--reason", "drill while stopped");
    assertEquals(0, offlineClear.exit(), offlineClear.err());
    assertTrue(offlineClear.out().startsWith("org 4: cleared"), offlineClear.out());
    assertEquals(0, store().archivedCreds("4"), "org 4 never linked: no creds to archive");
    Run offlineLogs = vigia(Map.of(), "logs", "4");
    assertEquals(0, offlineLogs.exit(), offlineLogs.err());
    String by = "(by cli:" + System.getProperty("user.name") + ")";
    assertTrue(offlineLogs.out().contains("drill while stopped") && offlineLogs.out().contains(by),
        offlineLogs.out());
    assertTrue(offlineLogs.err().contains("kept by the running server only"), offlineLogs.err());

    Run noEngine = vigia(Map.of(), "restart-engine", "--yes");
    assertEquals(1, noEngine.exit());
    assertTrue(noEngine.err().contains("there is no engine to restart"), noEngine.err());
    Run offlineDoctor = vigia(Map.of(), "doctor");
    assertEquals(1, offlineDoctor.exit(), offlineDoctor.out());
    assertTrue(offlineDoctor.out().contains("fix: start it (java -jar vigia.jar serve"),
        offlineDoctor.out());
    assertTrue(offlineDoctor.out().lines().anyMatch(l -> l.startsWith("engine ")
        && l.contains("simulated") && l.contains("STOPPED")), offlineDoctor.out());

    // an admin token made while stopped is kept where the next server looks for it
    Run offlineToken = vigia(Map.of(), "user", "token", "admin", "--label", "made while stopped");
    assertEquals(0, offlineToken.exit(), offlineToken.err());
    assertTrue(offlineToken.err().contains("reading the data dir"), offlineToken.err());
    assertTrue(offlineToken.out().matches(AdminTokens.PREFIX + "\\S+\\R"),
        "the token alone on standard output: " + offlineToken.out());

    // the next start keeps org 4 stopped, as cleared, and its page shows who cleared it
    startServer("second");
    ApiClient again = new ApiClient(vertx, port);
    eventually(() -> again.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode() == 200,
        "the restarted server takes a login", Duration.ofSeconds(30));
    JsonObject four = again.get("/api/sessions/4").bodyAsJsonObject();
    assertEquals("STOPPED", four.getString("state"), four.encode());
    String journal = again.get("/api/sessions/4/events?limit=10").bodyAsString();
    assertTrue(journal.contains("drill while stopped") && journal.contains(by.substring(4,
        by.length() - 1)), journal);
    Run withOfflineToken = vigia(Map.of("VIGIA_TOKEN", offlineToken.out().trim()), "status",
        "--org", "4");
    assertEquals(0, withOfflineToken.exit(), withOfflineToken.err());
    assertTrue(withOfflineToken.err().contains("(admin token)"), withOfflineToken.err());
  }

  private Process follow(Map<String, String> extra, StringBuffer into, String... args)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(java(args));
    pb.environment().putAll(env());
    pb.environment().putAll(extra);
    pb.redirectError(logs.resolve("follow-err.txt").toFile());
    Process p = pb.start();
    others.add(p);
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ended) {
        // the process was stopped
      }
    }, "follow-reader");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /** A command's standard output, which {@code --json} makes one JSON document and nothing else. */
  private static JsonObject json(Run run) {
    try {
      return new JsonObject(run.out());
    } catch (io.vertx.core.json.DecodeException e) {
      throw new AssertionError("not one JSON document on standard output: " + run.out(), e);
    }
  }

  private static JsonObject session(JsonObject report, String org) {
    return report.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> org.equals(s.getString("org"))).findFirst()
        .orElseThrow(() -> new AssertionError("no org " + org + " in " + report.encode()));
  }

  private static void eventually(BooleanSupplier condition, String what, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(200);
    }
  }
}
