package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes of {@link ClusterIT}: the shared simulated WhatsApp and the nodes, each the fat
 * jar in its own JVM with its own data dir and log file, on free ports of 127.0.0.1; and what the
 * test reads of them (logs, the session list, the database). Blocking: the test thread only.
 */
final class ClusterProcesses {

  /** One node: its id, its ports, its environment, its log; its process once started. */
  static final class Node {
    final String id;
    final int httpPort;
    final Map<String, String> env;
    final Path log;
    Process process;

    Node(String id, int httpPort, Map<String, String> env, Path log) {
      this.id = id;
      this.httpPort = httpPort;
      this.env = env;
      this.log = log;
    }

    int httpPort() {
      return httpPort;
    }
  }

  /** Logs kept after the test (target/cluster-it), for a person to read when it fails. */
  private final Path logDir;
  private final List<Process> started = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private Path whatsAppLog;

  ClusterProcesses() {
    try {
      logDir = Files.createDirectories(Path.of("target", "cluster-it"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts {@code vigia sim-whatsapp} on a free port; answers the port once it listens. */
  int startWhatsApp(Path dir, long silenceMillis) throws Exception {
    int port = PostgresJarIT.freePort();
    whatsAppLog = logDir.resolve("sim-whatsapp.log");
    Process p = java(List.of("sim-whatsapp", "--port", String.valueOf(port), "--silence-ms",
        String.valueOf(silenceMillis)), Map.of(), whatsAppLog);
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (countIn(whatsAppLog, "simulated WhatsApp shared on") == 0) {
      assertTrue(p.isAlive() && System.nanoTime() < deadline, "sim-whatsapp listens");
      Thread.sleep(100);
    }
    return port;
  }

  /** {@code n} nodes' settings, every Hazelcast member in every node's list. */
  List<Node> nodes(Path dir, int n, Map<String, String> common) throws Exception {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clusterPorts.add(PostgresJarIT.freePort());
    }
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "node-" + (i + 1);
      int http = PostgresJarIT.freePort();
      Path data = Files.createDirectories(dir.resolve(id));
      Map<String, String> env = new TreeMap<>(Map.of("VIGIA_DATA_DIR", data.toString(),
          "VIGIA_ENGINE", "simulated",
          "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD, "VIGIA_STORE", "postgres",
          "VIGIA_HTTP_PORT", String.valueOf(http), "VIGIA_CLUSTER", "true", "VIGIA_NODE_ID", id,
          "VIGIA_CLUSTER_PORT", String.valueOf(clusterPorts.get(i)),
          "VIGIA_CLUSTER_MEMBERS", members));
      env.putAll(common); // the test's settings win (the engine, for one)
      Path log = logDir.resolve(id + ".log");
      logs.add(log);
      out.add(new Node(id, http, env, log));
    }
    return out;
  }

  void start(Node node) throws IOException {
    node.process = java(List.of(), node.env, node.log);
    started.add(node.process);
  }

  private static Process java(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // four JVMs on a small machine: a small heap, the quick compiler, one GC thread
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", System.getProperty("vigia.jar")));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  void awaitHealth(Node node) throws InterruptedException {
    await(node, "/health", 90);
  }

  /** Until {@code /health/ready} answers 200: the stores open and the engine running. */
  void awaitReady(Node node, int seconds) throws InterruptedException {
    await(node, "/health/ready", seconds);
  }

  private void await(Node node, String path, int seconds) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      assertTrue(node.process.isAlive(), node.id + " is running");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.httpPort + path))
            .timeout(Duration.ofSeconds(5)).build(), // an unanswered request is asked again
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(node.id + ": no " + path + " within " + seconds + " s");
  }

  /**
   * Polls the session list until {@code count} sessions are CONNECTED, each on one of
   * {@code nodes}; answers org → node.
   */
  Map<String, String> awaitAllConnected(ApiClient api, int count, Set<String> nodes, int seconds)
      throws InterruptedException {
    return awaitList(api, count, nodes, seconds, owners -> true);
  }

  /** As {@link #awaitAllConnected}, until every node in {@code nodes} holds its share (±1). */
  Map<String, String> awaitSpread(ApiClient api, int count, Set<String> nodes, int seconds)
      throws InterruptedException {
    int share = count / nodes.size();
    return awaitList(api, count, nodes, seconds,
        owners -> count(owners).values().stream().allMatch(c -> c >= share - 1)
            && count(owners).size() == nodes.size());
  }

  private Map<String, String> awaitList(ApiClient api, int count, Set<String> nodes, int seconds,
      java.util.function.Predicate<Map<String, String>> also) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<String, String> last = Map.of();
    String lastStates = "";
    while (System.nanoTime() < deadline) {
      var r = api.get("/api/sessions");
      if (r.statusCode() == 200) {
        JsonArray sessions = r.bodyAsJsonObject().getJsonArray("sessions");
        Map<String, String> owners = new TreeMap<>();
        Map<String, Integer> states = new TreeMap<>();
        for (int i = 0; i < sessions.size(); i++) {
          JsonObject s = sessions.getJsonObject(i);
          String state = s.getString("state");
          states.merge(state + "@" + s.getString("node"), 1, Integer::sum);
          if ("CONNECTED".equals(state) && nodes.contains(s.getString("node"))) {
            owners.put(s.getString("org"), s.getString("node"));
          }
        }
        last = owners;
        lastStates = states.toString();
        if (owners.size() == count && also.test(owners)) {
          return owners;
        }
      }
      Thread.sleep(200); // each poll asks every node: not so often that polling is the load
    }
    throw new AssertionError("not every session CONNECTED on " + nodes + " within " + seconds
        + " s: " + last.size() + " of " + count + "; states " + lastStates);
  }

  static Map<String, Integer> count(Map<String, String> owners) {
    Map<String, Integer> out = new TreeMap<>();
    owners.values().forEach(n -> out.merge(n, 1, Integer::sum));
    return out;
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  void kill9(Node node) throws Exception {
    signal(node, "KILL");
    assertTrue(node.process.waitFor(10, TimeUnit.SECONDS), node.id + " is gone");
  }

  void signal(Node node, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.process.pid()))
        .inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }

  /** SIGTERM: the node's graceful stop (its shutdown hook). */
  void terminate(Node node) {
    node.process.destroy();
  }

  void awaitLog(Node node, String text, int atLeast, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (countIn(node.log, text) < atLeast) {
      assertTrue(System.nanoTime() < deadline, node.id + " logged '" + text + "' "
          + countIn(node.log, text) + " times, not " + atLeast);
      Thread.sleep(100);
    }
  }

  long countLog(Node node, String text) throws IOException {
    return countIn(node.log, text);
  }

  /** Lines holding {@code text} in every node's log. */
  long countAll(String text) throws IOException {
    long n = 0;
    for (Path log : logs) {
      n += countIn(log, text);
    }
    return n;
  }

  /** The 440s the shared WhatsApp sent: a login that evicted another holder of one session. */
  long conflicts() throws IOException {
    return countIn(whatsAppLog, "440 conflict");
  }

  private static long countIn(Path log, String text) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    }
  }

  /**
   * A test-only audit of every session record the database accepted: each row written is checked,
   * in the writing transaction, against the org's lease claim at that moment.
   */
  static void auditRecordWrites(PgSettings db) {
    TestPostgres.execute(db, "CREATE TABLE record_write_audit (org text, wrote bigint,"
        + " lease bigint, stale boolean)");
    TestPostgres.execute(db, "CREATE FUNCTION audit_record_write() RETURNS trigger"
        + " LANGUAGE plpgsql AS $$ DECLARE current bigint; BEGIN"
        + " SELECT lease_epoch INTO current FROM session_lease WHERE org = NEW.org;"
        + " INSERT INTO record_write_audit VALUES (NEW.org, NEW.lease_epoch, current,"
        + " NEW.lease_epoch IS DISTINCT FROM current); RETURN NEW; END $$");
    TestPostgres.execute(db, "CREATE TRIGGER audit_record_write AFTER INSERT OR UPDATE ON"
        + " session_record FOR EACH ROW EXECUTE FUNCTION audit_record_write()");
  }

  /** {stale writes accepted, writes accepted} as the audit saw them. */
  static long[] recordWrites(PgSettings db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE stale), count(*)"
            + " FROM record_write_audit")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    }
  }

  void killAll() {
    for (Process p : started) {
      if (p.isAlive()) {
        // a frozen process would not die of SIGKILL's cousin: it is resumed first
        try {
          new ProcessBuilder("kill", "-CONT", String.valueOf(p.pid())).start().waitFor();
        } catch (IOException | InterruptedException e) {
          // killed below anyway
        }
        p.destroyForcibly();
      }
    }
  }
}
