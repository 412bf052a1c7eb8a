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
 * when {@code /health} first answered and when all were {@code CONNECTED}, which a busy machine
 * moves less than the wall time, and each round the phases the server logged (listening, gateway
 * serving, records read, restored). The list is read with an admin token made by
 * {@code vigia user token} on the stopped data dir, as an operator's script would (a password
 * login is 210,000 PBKDF2 rounds inside the window). {@code -Dthreads=true} prints the CPU by
 * thread, {@code -Dvigia.jvmArgs=…} and {@code -Dvigia.env=K=V,…} set the server's JVM options and
 * environment.
 */
public final class RestartBench {

  private static final String PASSWORD = "bench-password-1234";
  private static final Duration GIVE_UP = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private record Launch(long healthMillis, long healthCpuMillis, long connectedMillis,
      long connectedCpuMillis, String timeline) {}

  /** The server's own log lines that mark the phases of a restart, in the order they come. */
  private static final List<String> PHASES = List.of("Vigía listening", "session gateway serving",
      "restoring 0/", "restored ");

  /** The admin token of each data dir, made with {@code vigia user token} while it is stopped. */
  private static final java.util.Map<Path, String> TOKENS = new java.util.HashMap<>();

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
    StringBuilder table = new StringBuilder(String.format("%-6s %-20s %-24s %9s %9s %14s %9s %5s%n",
        "round", "jar", "launch", "/health", "CPU then", "all CONNECTED", "CPU then", "load"));
    long[][] health = new long[jars.size()][2];
    long[] connected = new long[jars.size()];
    long[] connectedCpu = new long[jars.size()];
    for (int round = 1; round <= rounds; round++) {
      for (int j = 0; j < jars.size(); j++) {
        Launch empty = launch(jars.get(j), dirs.get(j)[0], 0);
        Launch full = launch(jars.get(j), dirs.get(j)[1], sessions);
        System.out.println("round " + round + ", " + jars.get(j).getFileName() + ", from the"
            + " launch: " + full.timeline());
        String name = jars.get(j).getFileName().toString();
        table.append(String.format("%-6d %-20s %-24s %6d ms %6d ms %14s %9s %5.1f%n", round,
            name, "empty data dir", empty.healthMillis(), empty.healthCpuMillis(), "-", "-",
            load()));
        table.append(String.format("%-6d %-20s %-24s %6d ms %6d ms %11d ms %6d ms %5.1f%n", round,
            name, sessions + " linked sessions", full.healthMillis(), full.healthCpuMillis(),
            full.connectedMillis(), full.connectedCpuMillis(), load()));
        health[j][0] += empty.healthMillis();
        health[j][1] += full.healthMillis();
        connected[j] += full.connectedMillis();
        connectedCpu[j] += full.connectedCpuMillis();
      }
    }
    System.out.println();
    System.out.print(table);
    for (int j = 1; j < jars.size(); j++) {
      System.out.printf("%s / %s, sums over %d round(s): /health empty %.2fx, /health with %d"
          + " sessions %.2fx, all CONNECTED %.2fx (CPU by then %.2fx)%n",
          jars.get(j).getFileName(), jars.get(0).getFileName(), rounds,
          (double) health[j][0] / health[0][0], sessions, (double) health[j][1] / health[0][1],
          (double) connected[j] / connected[0], (double) connectedCpu[j] / connectedCpu[0]);
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
    String token = token(jar, empty);
    Path full = Files.createDirectories(root.resolve("full"));
    long t0 = System.nanoTime();
    linkedSessions(full, sessions);
    copyTree(empty.resolve("accounts"), full.resolve("accounts")); // the admin and the token
    TOKENS.put(empty, token);
    TOKENS.put(full, token);
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

  /** CPU ms per thread kind (names without their numbers), from /proc: where the time went. */
  private static String cpuByThread(Process p) throws IOException {
    java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
              .replaceAll("[0-9]+", "#");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byKind.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    byKind.values().removeIf(ms -> ms < 50);
    return byKind.toString();
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

  /**
   * An admin token for the probes, as an operator's script would hold one: a password login
   * costs 210,000 PBKDF2 rounds (about a third of a second of one of this machine's two cores)
   * inside the window being measured, and the token is one SHA-256.
   */
  private static String token(Path jar, Path data) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "user", "token",
        "admin", "--label", "restart-bench").redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("VIGIA_"));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(freePort())); // no server there
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0 || !out.startsWith("vgt_")) {
      throw new IllegalStateException("vigia user token failed (exit " + p.exitValue() + ")");
    }
    return out;
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** When each of {@link #PHASES} was logged, in ms after {@code launchedAt}. */
  private static String timeline(Path log, long launchedAt) throws IOException {
    StringBuilder out = new StringBuilder();
    List<JsonObject> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
    for (String phase : PHASES) {
      lines.stream().filter(l -> l.getString("formattedMessage", "").contains(phase)).findFirst()
          .ifPresent(l -> out.append(out.isEmpty() ? "" : ", ").append(phase.trim())
              .append(' ').append(l.getLong("timestamp") - launchedAt).append(" ms"));
    }
    return out.toString();
  }

  private static Launch launch(Path jar, Path data, int sessions) throws Exception {
    int port = freePort();
    String java = javaCommand();
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
    // -Dvigia.env=VIGIA_LOG_LEVEL=WARN,… sets more of the server's environment
    for (String pair : System.getProperty("vigia.env", "").split(",")) {
      if (pair.contains("=")) {
        int eq = pair.indexOf('=');
        pb.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    String base = "http://127.0.0.1:" + port;
    // the launch as this process sees it: ProcessHandle's startInstant is derived from the boot
    // time in whole seconds, and was measured 0.67 s early on the 2-core machine
    long launchedAt = System.currentTimeMillis();
    Process vigia = pb.start();
    try {
      long health = until(vigia, launchedAt, 20, () -> get(base + "/health", null) == 200);
      long healthCpu = cpuMillis(vigia);
      long connected = -1;
      long connectedCpu = -1;
      // ready (a 503 until all of Vigía is deployed; a first start has made its admin by then),
      // then done restoring: until then the list shows the sessions not reopened yet in the
      // state they were saved in. Readiness is cheap to ask often, the list of every session is
      // asked once restored
      until(vigia, launchedAt, 50, () -> {
        HttpResponse<String> ready = send(base + "/health/ready", null);
        return ready.statusCode() == 200 && !ready.body().contains("restoring");
      });
      if (sessions > 0) {
        String token = TOKENS.get(data);
        connected = until(vigia, launchedAt, 50, () -> connected(base, token) >= sessions);
        connectedCpu = cpuMillis(vigia);
        if (Boolean.getBoolean("threads")) {
          System.out.println("CPU by thread at all CONNECTED: " + cpuByThread(vigia));
        }
      }
      return new Launch(health, healthCpu, connected, connectedCpu, timeline(log, launchedAt));
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

  private static int get(String url, String token) throws Exception {
    return send(url, token).statusCode();
  }

  private static HttpResponse<String> send(String url, String token) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long connected(String base, String token) throws Exception {
    HttpResponse<String> r = send(base + "/api/sessions", token);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /api/sessions answered " + r.statusCode() + ": "
          + r.body());
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
