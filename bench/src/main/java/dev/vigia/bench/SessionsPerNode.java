package dev.vigia.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12, goal 1: how many sessions one node holds. For each count {@code n}, a data dir with
 * {@code n} linked simulated sessions; the jar is started on it as a child process and measured
 * once every session is {@code CONNECTED}: the time from launch to that moment (the restore of
 * them all), heap in use after a full GC, resident memory, and CPU while idle. The same jar on a
 * data dir with no session, in the same run, is the baseline: per session is (with − without) /
 * {@code n}. The simulated engine holds no socket and no Baileys: this is what Vigía itself costs
 * per session, not WhatsApp's protocol state.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.vigia.bench.SessionsPerNode \
 *     [counts: 1000,10000] [idle seconds: 10]
 * </pre>
 * Writes {@code bench/target/sessions-per-node.json}.
 */
public final class SessionsPerNode {

  private SessionsPerNode() {}

  private record Sample(long upMillis, long heap, long rss, double idleCores) {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = java.util.Arrays.stream((args.length > 0 ? args[0] : "1000,10000")
        .split(",")).map(String::trim).map(Integer::parseInt).toList();
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Report report = new Report("sessions-per-node",
        "%-16s %8s %10s %10s %10s %12s %12s %9s %5s", "jar", "sessions", "up s", "heap MiB",
        "RSS MiB", "heap/sess KB", "RSS/sess KB", "idle CPU", "load");
    Path root = DataDirs.work("sessions-per-node");
    String jar = VigiaProcess.jar().getFileName().toString();
    Sample empty = measure(root, 0, idleSeconds);
    report.row(json(jar, 0, empty, null), jar, 0, fmt(empty.upMillis / 1000.0),
        mib(empty.heap), mib(empty.rss), "-", "-", String.format("%.3f", empty.idleCores),
        String.format("%.1f", VigiaProcess.loadAverage()));
    for (int n : counts) {
      Sample s = measure(root, n, idleSeconds);
      JsonObject row = json(jar, n, s, empty);
      report.row(row, jar, n, fmt(s.upMillis / 1000.0), mib(s.heap), mib(s.rss),
          fmt(row.getDouble("heapPerSessionBytes") / 1024),
          fmt(row.getDouble("rssPerSessionBytes") / 1024), String.format("%.3f", s.idleCores),
          String.format("%.1f", VigiaProcess.loadAverage()));
    }
    System.out.println("written to " + report.file());
  }

  private static Sample measure(Path root, int sessions, int idleSeconds) throws Exception {
    Path data = DataDirs.withOrgs(root, "data-" + sessions, sessions);
    DataDirs.linkSessions(data, sessions);
    long t0 = System.nanoTime();
    try (VigiaProcess vigia = VigiaProcess.start(data, Map.of())) {
      Api api = new Api(vigia.base()).login();
      awaitConnected(api, sessions);
      long up = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(2_000); // the saves and journal lines of the restore finish
      long cpu0 = vigia.cpuNanos();
      long wall0 = System.nanoTime();
      Thread.sleep(idleSeconds * 1000L);
      double idle = (vigia.cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
      return new Sample(up, vigia.heapAfterGcBytes(), vigia.rssBytes(), idle);
    } finally {
      DataDirs.deleteTree(data);
    }
  }

  /**
   * Until {@code /metrics} counts every session {@code CONNECTED}: cheap to ask at any count,
   * where the list of 50,000 sessions (what {@link FanOut#awaitConnected} reads) is megabytes of
   * JSON per poll, and more than the 60 s a request may take on a loaded machine.
   */
  private static void awaitConnected(Api api, int sessions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (!api.get("/health/ready").encode().contains("restoring")
            && connectedInMetrics(api) >= sessions) {
          return;
        }
      } catch (IllegalStateException | java.io.IOException notYet) {
        // 503 while a check is down, or a slow answer: ask again
      }
      Thread.sleep(2_000);
    }
    throw new IllegalStateException("the sessions were not all CONNECTED in 20 minutes");
  }

  private static long connectedInMetrics(Api api) throws Exception {
    for (String line : api.text("/metrics").split("\n")) {
      if (line.startsWith("vigia_sessions{") && line.contains("state=\"CONNECTED\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private static JsonObject json(String jar, int sessions, Sample s, Sample empty) {
    JsonObject row = new JsonObject().put("jar", jar).put("sessions", sessions)
        .put("upMillis", s.upMillis).put("heapAfterGcBytes", s.heap).put("rssBytes", s.rss)
        .put("idleCpuCores", s.idleCores).put("dataDir", DataDirs.medium());
    if (empty != null) {
      row.put("heapPerSessionBytes", (s.heap - empty.heap) / (double) sessions)
          .put("rssPerSessionBytes", (s.rss - empty.rss) / (double) sessions);
    }
    return row;
  }

  private static String mib(long bytes) {
    return String.format("%.1f", bytes / 1048576.0);
  }

  private static String fmt(double v) {
    return String.format("%.1f", v);
  }
}
