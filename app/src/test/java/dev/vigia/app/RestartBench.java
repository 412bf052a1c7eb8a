package dev.vigia.app;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.session.SessionRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7's restart benchmark, a command and not a test: it makes a data dir holding
 * {@code sessions} linked simulated sessions (each with creds, five pre-keys and a record saying
 * CONNECTED with a connection wanted), launches the real jar on it and prints the time from
 * launch to {@code /health} answering 200 and to every session {@code CONNECTED} again. A launch
 * on an empty data dir, in the same run, is the baseline; another jar (say, one built from main)
 * can be measured the same way in the same run. Build the jar first, then:
 * <pre>
 * ./mvnw -B -q -pl app -am package -DskipTests && ./mvnw -B -q -pl app -am test-compile
 * java [-Drounds=3] -cp app/target/vigia.jar:app/target/test-classes dev.vigia.app.RestartBench \
 *     [sessions] [jar] [other jars…]
 * </pre>
 * Ratios are given against the first jar; each row also gives the CPU time the process had used
 * when {@code /health} first answered, which a busy machine moves less than the wall time.
 */
public final class RestartBench {

  private static final String PASSWORD = "bench-password-1234";
  private static final Duration GIVE_UP = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private record Launch(long healthMillis, long healthCpuMillis, long connectedMillis,
      String restoredLine) {}

  private RestartBench() {}

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    List<Path> jars = new java.util.ArrayList<>();
    jars.add(jar(args.length > 1 ? args[1] : "app/target/vigia.jar"));
    for (int i = 2; i < args.length; i++) {
      jars.add(jar(args[i]));
    }
    int rounds = Integer.getInteger("rounds", 1);
    Path root = Files.createTempDirectory("vigia-restart-bench");
    System.out.println("data dirs under " + root);
    // one empty and one full data dir per jar, made once; every round launches each jar on
    // both, the jars one after the other, so a busy neighbour weighs on all of them alike
    List<Path[]> dirs = new java.util.ArrayList<>();
    for (int j = 0; j < jars.size(); j++) {
      dirs.add(dataDirs(root.resolve("jar" + (j + 1)), jars.get(j), sessions));
    }
    StringBuilder table = new StringBuilder(String.format("%-6s %-28s %-26s %12s %12s %15s %6s%n",
        "round", "jar", "launch", "/health", "CPU then", "all CONNECTED", "load"));
    long[][] health = new long[jars.size()][2];
    long[] connected = new long[jars.size()];
    for (int round = 1; round <= rounds; round++) {
      for (int j = 0; j < jars.size(); j++) {
        Launch empty = launch(jars.get(j), dirs.get(j)[0], 0);
        Launch full = launch(jars.get(j), dirs.get(j)[1], sessions);
        System.out.println("gateway log: " + full.restoredLine());
        String name = jars.get(j).getFileName().toString();
        table.append(String.format("%-6d %-28s %-26s %9d ms %9d ms %15s %6.1f%n", round, name,
            "empty data dir", empty.healthMillis(), empty.healthCpuMillis(), "-", load()));
        table.append(String.format("%-6d %-28s %-26s %9d ms %9d ms %12d ms %6.1f%n", round, name,
            sessions + " linked sessions", full.healthMillis(), full.healthCpuMillis(),
            full.connectedMillis(), load()));
        health[j][0] += empty.healthMillis();
        health[j][1] += full.healthMillis();
        connected[j] += full.connectedMillis();
      }
    }
    System.out.println();
    System.out.print(table);
    for (int j = 1; j < jars.size(); j++) {
      System.out.printf("%s / %s, sums over %d round(s): /health empty %.2fx, /health with %d"
          + " sessions %.2fx, all CONNECTED %.2fx%n", jars.get(j).getFileName(),
          jars.get(0).getFileName(), rounds, (double) health[j][0] / health[0][0], sessions,
          (double) health[j][1] / health[0][1], (double) connected[j] / connected[0]);
    }
    System.out.println("goals: /health <= 2000 ms, all CONNECTED <= 5000 ms after launch");
  }

  private static Path jar(String name) {
    Path jar = Path.of(name).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing: build it with ./mvnw -B -q -pl app"
          + " -am package -DskipTests");
    }
    return jar;
  }

  /** An empty data dir (after a first start, which creates the admin) and a full one. */
  private static Path[] dataDirs(Path root, Path jar, int sessions) throws Exception {
    Path empty = Files.createDirectories(root.resolve("empty"));
    // a restart, not a first start: the first start creates the admin (a PBKDF2 hash) once
    launch(jar, empty, 0);
    Path full = Files.createDirectories(root.resolve("full"));
    long t0 = System.nanoTime();
    linkedSessions(full, sessions);
    copyTree(empty.resolve("accounts"), full.resolve("accounts"));
    System.out.printf("made %d linked simulated sessions in %d ms%n", sessions, millisSince(t0));
    return new Path[] {empty, full};
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
  }

  /** CPU time the process has used (user + system), from /proc; -1 where there is none. */
  private static long cpuMillis(Process p) {
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /** Creds, pre-keys and records as the simulated engine and the gateway leave them. */
  private static void linkedSessions(Path data, int count) throws IOException {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 1; i <= count; i++) {
      String org = String.format("bench-%05d", i);
      String jid = String.format("52155%08d:1@s.whatsapp.net", i);
      Path auth = Files.createDirectories(data.resolve("auth_sessions").resolve(org));
      JsonObject creds = new JsonObject().put("registered", true)
          .put("me", new JsonObject().put("id", jid).put("name", "Bench " + i))
          .put("registrationId", i).put("advSecretKey", "YmVuY2g=");
      Files.writeString(auth.resolve("creds.json"), creds.encode());
      for (int k = 1; k <= 5; k++) {
        Files.writeString(auth.resolve("pre-key-" + k + ".json"),
            "{\"private\":{\"type\":\"Buffer\",\"data\":\"YQ==\"},"
                + "\"public\":{\"type\":\"Buffer\",\"data\":\"Yg==\"}}");
      }
      SessionRecord record = new SessionRecord(org, SessionState.CONNECTED, at, null,
          new SessionView.Me(jid, "Bench " + i), at, null, true, 3);
      Files.write(Files.createDirectories(data.resolve("sessions")).resolve(org + ".json"),
          Json.mapper().writeValueAsBytes(record));
    }
  }

  private static Launch launch(Path jar, Path data, int sessions) throws Exception {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = data.resolveSibling(data.getFileName() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(java));
    // -Dvigia.jvmArgs="-XX:StartFlightRecording=filename=/tmp/r-%p.jfr,settings=profile"
    // profiles every launch (the server's own JVM options, space-separated)
    String jvmArgs = System.getProperty("vigia.jvmArgs", "").trim();
    if (!jvmArgs.isEmpty()) {
      command.addAll(List.of(jvmArgs.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("VIGIA_"));
    pb.environment().put("VIGIA_HTTP_HOST", "127.0.0.1");
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(port));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_ENGINE", "simulated");
    pb.environment().put("VIGIA_ADMIN_PASSWORD", PASSWORD);
    String base = "http://127.0.0.1:" + port;
    // the launch as this process sees it: ProcessHandle's startInstant is derived from the boot
    // time in whole seconds, and was measured 0.67 s early on the 2-core machine
    long launchedAt = System.currentTimeMillis();
    Process vigia = pb.start();
    try {
      long health = until(vigia, launchedAt, 20, () -> get(base + "/health", null) == 200);
      long healthCpu = cpuMillis(vigia);
      long connected = -1;
      if (sessions > 0) {
        String cookie = login(base);
        // readiness is cheap to ask often; the list of every session is asked once restored
        until(vigia, launchedAt, 50, () -> !send(base + "/health/ready", null).body().contains("restoring"));
        connected = until(vigia, launchedAt, 50, () -> connected(base, cookie) >= sessions);
      }
      String restored = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains("restored ")).findFirst().orElse("(no restore line)");
      return new Launch(health, healthCpu, connected, restored.length() > 300
          ? restored.substring(0, 300) : restored);
    } finally {
      vigia.destroy(); // SIGTERM: the shutdown hook stops Vigía cleanly
      if (!vigia.waitFor(30, TimeUnit.SECONDS)) {
        vigia.destroyForcibly();
      }
    }
  }

  private interface Check {
    boolean done() throws Exception;
  }

  /**
   * Milliseconds from {@code t0} (the launch) until {@code check} holds; polls every
   * {@code everyMillis}.
   */
  private static long until(Process vigia, long t0, long everyMillis, Check check)
      throws Exception {
    long deadline = System.currentTimeMillis() + GIVE_UP.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!vigia.isAlive()) {
        throw new IllegalStateException("Vigía exited with " + vigia.exitValue());
      }
      try {
        if (check.done()) {
          return System.currentTimeMillis() - t0;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(everyMillis);
    }
    throw new IllegalStateException("gave up after " + GIVE_UP);
  }

  private static int get(String url, String cookie) throws Exception {
    return send(url, cookie).statusCode();
  }

  private static HttpResponse<String> send(String url, String cookie) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10));
    if (cookie != null) {
      req.header("Cookie", cookie);
    }
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String login(String base) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "admin")
            .put("password", PASSWORD).encode()))
        .build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login answered " + r.statusCode() + ": " + r.body());
    }
    List<String> cookies = r.headers().allValues("Set-Cookie");
    return String.join("; ", cookies.stream().map(c -> c.split(";", 2)[0]).toList());
  }

  private static long connected(String base, String cookie) throws Exception {
    HttpResponse<String> r = send(base + "/api/sessions", cookie);
    if (r.statusCode() != 200) {
      return 0;
    }
    JsonArray all = new JsonObject(r.body()).getJsonArray("sessions");
    return all.stream().filter(s -> "CONNECTED".equals(((JsonObject) s).getString("state")))
        .count();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
