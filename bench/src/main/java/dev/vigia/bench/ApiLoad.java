package dev.vigia.bench;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12, goal 6: {@code GET /api/sessions/{org}} with an API key, under {@code wrk}
 * (requests/s, p50/p99, the server's CPU), against {@code GET /health} on the same server in the
 * same run (the cost of HTTP alone: no key, no gateway, no accounts), and the server's CPU time
 * per request. Vigía holds one linked
 * simulated session; the key is made through the admin API as a customer makes it.
 * {@code -Djars=a.jar,b.jar} measures several builds, one after the other in each round.
 *
 * <pre>
 * java [-Djars=before.jar,after.jar] -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     dev.vigia.bench.ApiLoad [seconds per run: 10] [rounds: 2] [wrk threads: 2] [connections: 50]
 * </pre>
 * {@code -Dprofile=true} records each measured run with JFR ({@code bench/target/api-load/*.jfr}).
 * Each run is preceded by a warm-up of the same length (a server is warm). Writes
 * {@code bench/target/api-load.json}.
 */
public final class ApiLoad {

  private static final String ORG = DataDirs.org(1);

  private ApiLoad() {}

  record Wrk(double requestsPerSec, double p50Ms, double p99Ms, long non2xx, double serverCores) {
    /**
     * The server's CPU time per answered request: on a machine whose cores are shared, the
     * number that moves least with the neighbours (requests/s follows the share of CPU it got).
     */
    double cpuMicrosPerRequest() {
      return serverCores * 1e6 / requestsPerSec;
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    List<String> jars = List.of(System.getProperty("jars", VigiaProcess.jar().toString())
        .split(","));
    Report report = new Report("api-load", "%-5s %-22s %-26s %10s %8s %8s %8s %11s %13s %5s",
        "round", "jar", "endpoint", "req/s", "p50 ms", "p99 ms", "non-2xx", "server CPU",
        "CPU µs/req", "load");
    report.run().put("seconds", seconds).put("wrkThreads", threads)
        .put("connections", connections);
    Path root = DataDirs.work("api-load");
    for (int round = 1; round <= rounds; round++) {
      for (String jar : jars) {
        System.setProperty("vigia.jar", jar);
        Path data = DataDirs.withOrgs(root, "data", 1);
        DataDirs.linkSessions(data, 1);
        try (VigiaProcess vigia = VigiaProcess.start(data, Map.of())) {
          Api api = new Api(vigia.base()).login();
          FanOut.awaitConnected(api, 1);
          String key = api.post("/api/orgs/" + ORG + "/api-keys",
              new JsonObject().put("label", "bench")).getString("key");
          String sessions = vigia.base() + "/api/sessions/" + ORG;
          if (api.status("/health") != 200) {
            throw new IllegalStateException("/health is not 200");
          }
          for (String[] target : List.of(new String[] {"/health", vigia.base() + "/health", null},
              new String[] {"/api/sessions/{org}, key", sessions, key})) {
            wrk(vigia, target[1], target[2], seconds, threads, connections); // warm-up
            Path jfr = root.resolve("api-load-" + round + "-" + target[0].length() + ".jfr");
            if (Boolean.getBoolean("profile")) {
              vigia.jcmd("JFR.start", "name=api", "settings=profile");
            }
            Wrk w = wrk(vigia, target[1], target[2], seconds, threads, connections);
            if (Boolean.getBoolean("profile")) {
              vigia.jcmd("JFR.stop", "name=api", "filename=" + jfr);
              System.out.println("profile: " + jfr);
            }
            double load = VigiaProcess.loadAverage();
            report.row(new JsonObject().put("round", round).put("jar", jar)
                    .put("endpoint", target[0]).put("requestsPerSec", w.requestsPerSec)
                    .put("p50Ms", w.p50Ms).put("p99Ms", w.p99Ms).put("non2xx", w.non2xx)
                    .put("serverCpuCores", w.serverCores)
                    .put("serverCpuMicrosPerRequest", w.cpuMicrosPerRequest()),
                round, Path.of(jar).getFileName(), target[0],
                String.format("%,.0f", w.requestsPerSec), String.format("%.2f", w.p50Ms),
                String.format("%.2f", w.p99Ms), w.non2xx, String.format("%.2f", w.serverCores),
                String.format("%.1f", w.cpuMicrosPerRequest()), String.format("%.1f", load));
          }
        } finally {
          DataDirs.deleteTree(data);
        }
      }
    }
    System.out.println("written to " + report.file());
  }

  /** One wrk run; {@code key} null sends no key. */
  static Wrk wrk(VigiaProcess vigia, String url, String key, int seconds, int threads,
      int connections) throws Exception {
    List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
        "-d" + seconds + "s", "--latency"));
    if (key != null) {
      command.addAll(List.of("-H", "X-Api-Key: " + key));
    }
    command.add(url);
    long cpu0 = vigia.cpuNanos();
    long wall0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    double cores = (vigia.cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
    return new Wrk(number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"),
        millis(out, "99%"), (long) numberOr(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0),
        cores);
  }

  private static double millis(String out, String percentile) {
    Matcher m = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + percentile + " in wrk's output: " + out);
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  private static double number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in wrk's output: " + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double numberOr(String out, String regex, double otherwise) {
    Matcher m = Pattern.compile(regex).matcher(out);
    return m.find() ? Double.parseDouble(m.group(1)) : otherwise;
  }
}
