package dev.vigia.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Issue 12, goal 2: how long a state change takes from the gateway ({@code StateChange.at}, set
 * where the change is made) to a dashboard, and how many never arrive. Vigía (the jar, simulated
 * engine) holds linked sessions; the dashboards are {@code /api/stream} responses or bridge
 * sockets; faults ({@code connection_lost}, four changes each) make the changes at a steady
 * rate. Clients and injector share one event loop in this process (non-blocking sockets, no JSON
 * parser), and its CPU time is printed beside the result, so a client that could not keep up
 * would show. Both processes read the same clock (same machine).
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.vigia.bench.FanOut \
 *     [changes/s list: 1000,5000] [dashboards list: 100,1000] [sse|bridge] [all|one] [seconds: 30]
 * </pre>
 * {@code all}: every dashboard follows every org (an admin's page; the bridge needs one socket
 * per 1,000 orgs); {@code one}: each follows one org (an API key's stream, or one address).
 * Writes {@code bench/target/fanout.json}. {@code -Djars=before.jar,after.jar} measures several
 * builds in one invocation, alternating within each row ({@code -Drounds=n} repeats the rows), so
 * a busy neighbour on a shared machine weighs on both alike; {@code -Ddata=shm} puts the data dirs
 * in {@code /dev/shm}.
 */
public final class FanOut {

  /** -Dwarmup=s: the server's JIT compiles for about 45 s at 1,000 changes/s (0.3–0.5 cores) */
  private static final int WARM_UP_SECONDS = Integer.getInteger("warmup", 10);
  private static final int DRAIN_SECONDS = 5;
  private static final int MIN_SESSIONS = 2_000;

  private FanOut() {}

  public static void main(String[] args) throws Exception {
    List<Integer> rates = ints(args.length > 0 ? args[0] : "1000,5000");
    List<Integer> dashboards = ints(args.length > 1 ? args[1] : "100,1000");
    String kind = args.length > 2 ? args[2] : "sse";
    String follow = args.length > 3 ? args[3] : "all";
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
    List<String> jars = List.of(System.getProperty("jars", VigiaProcess.jar().toString())
        .split(","));
    int rounds = Integer.getInteger("rounds", 1);
    Report report = new Report("fanout",
        "%-10s %-6s %-4s %6s %10s %8s %8s %8s %8s %8s %7s %8s %8s %5s", "jar", "kind", "fol",
        "dashb", "changes/s", "got/s", "p50 ms", "p99 ms", "max ms", "lost", "closed",
        "srv CPU", "cli CPU", "load");
    // several jars (say, before and after a change) alternate within each round, so a busy
    // neighbour on a shared machine weighs on both alike
    for (int round = 1; round <= rounds; round++) {
      for (int rate : rates) {
        for (int d : dashboards) {
          for (String jar : jars) {
            System.setProperty("vigia.jar", jar);
            run(report, kind, follow, rate, d, seconds);
          }
        }
      }
    }
    System.out.println("written to " + report.file());
  }

  private static void run(Report report, String kind, String follow, int rate, int dashboards,
      int seconds) throws Exception {
    // each org gets at most 8 faults (the breaker trips at 10): enough orgs for the whole run
    int faults = rate / FaultInjector.CHANGES_PER_FAULT * (WARM_UP_SECONDS + seconds + 2);
    int sessions = Math.max(MIN_SESSIONS, (faults + FaultInjector.FAULTS_PER_ORG - 1)
        / FaultInjector.FAULTS_PER_ORG);
    Path data = DataDirs.withOrgs(DataDirs.work("fanout"), "data", sessions);
    DataDirs.linkSessions(data, sessions);
    List<String> orgs = IntStream.rangeClosed(1, sessions).mapToObj(DataDirs::org).toList();
    // -Dvigia.jvmArgs="-XX:StartFlightRecording=..." profiles the server during a run
    String[] jvmArgs = System.getProperty("vigia.jvmArgs", "").isBlank() ? new String[0]
        : System.getProperty("vigia.jvmArgs").trim().split("\\s+");
    try (VigiaProcess vigia = VigiaProcess.start(data, Map.of(), jvmArgs)) {
      Api api = new Api(vigia.base()).login();
      awaitConnected(api, sessions);
      Map<String, String> keys = "one".equals(follow) ? apiKeys(api, orgs, dashboards) : Map.of();
      Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      try {
        measure(report, client, vigia, api, kind, follow, rate, dashboards, seconds, orgs, keys);
      } finally {
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void measure(Report report, Vertx client, VigiaProcess vigia, Api api,
      String kind, String follow, int rate, int dashboards, int seconds, List<String> orgs,
      Map<String, String> keys) throws Exception {
    long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
    Latencies latencies = new Latencies();
    FaultInjector injector = onLoop(client, () -> new FaultInjector(client, vigia.port(),
        api.cookie(), api.xsrf(), orgs));
    int perDashboard = "all".equals(follow) && "bridge".equals(kind)
        ? LiveClients.perSocket(orgs).size() : 1;
    LiveClients clients = onLoop(client, () -> new LiveClients(client, vigia.port(),
        dashboards * perDashboard));
    // the injector's view of which orgs are connected comes from the first dashboard (all orgs)
    LiveReceiver tracker = null;
    List<Future<Void>> opened = new ArrayList<>();
    for (int d = 0; d < dashboards; d++) {
      List<List<String>> follows;
      String org = orgs.get(d % orgs.size());
      if ("all".equals(follow)) {
        follows = "bridge".equals(kind) ? LiveClients.perSocket(orgs) : java.util.Collections
            .singletonList(null);
      } else {
        follows = List.of(List.of(org));
      }
      for (List<String> f : follows) {
        boolean tracks = d == 0 && "all".equals(follow);
        LiveReceiver r = new LiveReceiver(f, latencies, window,
            tracks ? injector::changed : LiveClients.none());
        String header = "one".equals(follow) ? "X-Api-Key" : "Cookie";
        String credential = "one".equals(follow) ? keys.get(org) : api.cookie();
        opened.add(onLoop(client, () -> "sse".equals(kind) ? clients.sse(header, credential, r)
            : clients.bridge(header, credential, r)));
        tracker = tracker == null ? r : tracker;
      }
    }
    Future.all(opened).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if ("one".equals(follow)) {
      // no dashboard sees every org: the injector tracks them with one admin stream of its own
      LiveReceiver own = new LiveReceiver(null, new Latencies(), window, injector::changed);
      tracker = own;
      onLoop(client, () -> clients.sse("Cookie", api.cookie(), own)).toCompletionStage()
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    Thread.sleep(1000); // registrations settle
    long t0 = LiveReceiver.nowMicros();
    window[1] = t0 + (WARM_UP_SECONDS + seconds) * 1_000_000L;
    window[0] = t0 + WARM_UP_SECONDS * 1_000_000L;
    onLoop(client, () -> {
      injector.start(rate);
      return null;
    });
    Thread.sleep(WARM_UP_SECONDS * 1000L);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long clientCpu0 = clientCpu(threads);
    long serverCpu0 = vigia.cpuNanos();
    long wall0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double wall = (System.nanoTime() - wall0) / 1e9;
    double serverCpu = (vigia.cpuNanos() - serverCpu0) / 1e9 / wall;
    double clientCpu = (clientCpu(threads) - clientCpu0) / 1e9 / wall;
    onLoop(client, () -> {
      injector.stop();
      return null;
    });
    awaitQuiet(client, clients.receivers);
    LiveReceiver counter = tracker;
    JsonObject result = onLoop(client, () -> tally(clients.receivers, latencies, injector,
        counter, dashboards, seconds));
    onLoop(client, clients::close).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    Latencies.Summary s = latencies.summary();
    result.put("kind", kind).put("follow", follow).put("dashboards", dashboards)
        .put("connections", clients.receivers.size()).put("changesPerSecondAsked", rate)
        .put("latency", s.json()).put("serverCpuCores", serverCpu)
        .put("clientCpuCores", clientCpu).put("seconds", seconds)
        .put("sessions", orgs.size());
    String jar = VigiaProcess.jar().getFileName().toString();
    result.put("jar", jar).put("dataDir", DataDirs.medium());
    report.row(result, jar, kind, follow, dashboards, rate,
        String.format("%.0f", result.getDouble("changesPerSecond")),
        String.format("%.1f", s.p50()), String.format("%.1f", s.p99()),
        String.format("%.0f", s.max()), result.getLong("lost"), result.getLong("closed"),
        String.format("%.2f", serverCpu), String.format("%.2f", clientCpu),
        String.format("%.1f", VigiaProcess.loadAverage()));
  }

  /** Lost: per receiver and followed org, the seqs every receiver together saw, less its own. */
  private static JsonObject tally(List<LiveReceiver> receivers, Latencies latencies,
      FaultInjector injector, LiveReceiver tracker, int dashboards, int seconds) {
    Map<String, long[]> global = new HashMap<>();
    for (LiveReceiver r : receivers) {
      r.byOrg.forEach((org, s) -> global.merge(org, s.clone(), (a, b) -> new long[] {
          Math.min(a[0], b[0]), Math.max(a[1], b[1]), 0}));
    }
    long lost = 0;
    long closed = 0;
    long outOfOrder = 0;
    long delivered = 0;
    for (LiveReceiver r : receivers) {
      Iterable<String> followed = r.follows == null ? global.keySet() : r.follows;
      for (String org : followed) {
        long[] g = global.get(org);
        long[] mine = r.byOrg.get(org);
        if (g != null) {
          lost += (g[1] - g[0] + 1) - (mine == null ? 0 : mine[2]);
        }
      }
      closed += r.closed ? 1 : 0;
      outOfOrder += r.outOfOrder;
      delivered += r.byOrg.values().stream().mapToLong(s -> s[2]).sum();
    }
    long changes = global.values().stream().mapToLong(g -> g[1] - g[0] + 1).sum();
    return new JsonObject().put("changes", changes).put("delivered", delivered)
        .put("lost", lost).put("closed", closed).put("outOfOrder", outOfOrder)
        // what the gateway made in the measured window: as the all-orgs stream of the
        // injector received it, or on average per dashboard when each follows every org
        .put("changesPerSecond", (tracker.follows == null && !receivers.contains(tracker)
            ? tracker.counted : receivers.stream().mapToLong(r -> r.counted).sum()
                / (double) dashboards) / seconds)
        .put("faultsSent", injector.sent).put("faultsFailed", injector.failed)
        .put("faultsSkipped", injector.skipped).put("latencySamples", latencies.count());
  }

  /**
   * Waits until no receiver has had a change for {@link #DRAIN_SECONDS} (the orgs faulted last
   * finish their cycle, and what is on its way arrives), at most a minute: then what is missing
   * is lost, not late.
   */
  private static void awaitQuiet(Vertx client, List<LiveReceiver> receivers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    long last = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long total = onLoop(client, () -> receivers.stream()
          .mapToLong(r -> r.byOrg.values().stream().mapToLong(s -> s[2]).sum()).sum());
      if (total != last) {
        last = total;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(DRAIN_SECONDS)) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /** CPU time of this process's Vert.x event loop (the clients and the injector). */
  private static long clientCpu(ThreadMXBean threads) {
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith("vert.x-eventloop")) {
        sum += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return sum;
  }

  private static Map<String, String> apiKeys(Api api, List<String> orgs, int count)
      throws Exception {
    Map<String, String> keys = new HashMap<>();
    for (int i = 0; i < Math.min(count, orgs.size()); i++) {
      String org = orgs.get(i);
      keys.put(org, api.post("/api/orgs/" + org + "/api-keys", new JsonObject()
          .put("label", "bench")).getString("key"));
    }
    return keys;
  }

  static void awaitConnected(Api api, int sessions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        if (!api.get("/health/ready").encode().contains("restoring")
            && connected(api) >= sessions) {
          return;
        }
      } catch (IllegalStateException notReady) {
        // 503 while a check is down (the store opening): ask again
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the sessions were not all CONNECTED in 10 minutes");
  }

  static long connected(Api api) throws Exception {
    return api.get("/api/sessions").getJsonArray("sessions").stream()
        .filter(s -> "CONNECTED".equals(((JsonObject) s).getString("state"))).count();
  }

  private static <T> T onLoop(Vertx vertx, Callable<T> action) throws Exception {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static List<Integer> ints(String list) {
    return java.util.Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt)
        .toList();
  }
}
