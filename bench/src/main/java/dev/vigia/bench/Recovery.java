package dev.vigia.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12, goal 5: from a signal that a session's login is gone to a fresh QR on a dashboard.
 * Vigía holds {@code n} linked simulated sessions and one admin page follows {@code /api/stream}.
 * For each org in turn, {@code gap} ms apart, WhatsApp's 401 is injected
 * ({@code POST /api/sim/sessions/<org>/fault {"kind":"logged_out"}}): the gateway archives the
 * credentials and the stream shows {@code LOGGED_OUT}; the page then asks for a new link
 * ({@code POST /api/sessions/<org>/connect}) as a person (or a script) does on seeing it, and the
 * stream shows {@code QR_REQUIRED} with a QR. Measured per org, from the bench's clock: fault →
 * {@code LOGGED_OUT} on the page, connect → QR on the page, fault → QR. The baseline, in the same
 * run and on the same orgs first: a {@code connection_lost} fault → {@code RECONNECTING} on the
 * page (the same request, gateway and stream, without an archive), after one uncounted pass of
 * it to warm the server.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.vigia.bench.Recovery \
 *     [orgs: 200] [gap ms: 20]
 * </pre>
 * The restart of N sessions is {@code RestartBench} (BENCHMARKS.md §4) and
 * {@link SessionsPerNode}. Writes {@code bench/target/recovery.json}.
 */
public final class Recovery {

  private Recovery() {}

  public static void main(String[] args) throws Exception {
    int orgs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int gap = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Report report = new Report("recovery", "%-40s %6s %9s %9s %9s %6s %5s", "from → to (page)",
        "orgs", "p50 ms", "p99 ms", "max ms", "lost", "load");
    report.run().put("orgs", orgs).put("gapMillis", gap);
    Path data = DataDirs.withOrgs(DataDirs.work("recovery"), "data", orgs);
    DataDirs.linkSessions(data, orgs);
    Vertx vertx = Vertx.vertx();
    try (VigiaProcess vigia = VigiaProcess.start(data, Map.of())) {
      Api api = new Api(vigia.base()).login();
      FanOut.awaitConnected(api, orgs);
      Page page = new Page(vertx, vigia.port(), api);
      page.open();
      Thread.sleep(1_000);

      // one uncounted pass first: a running server is warm
      page.run(orgs, gap, "connection_lost", "RECONNECTING", false);
      FanOut.awaitConnected(api, orgs);
      Map<String, long[]> lost = page.run(orgs, gap, "connection_lost", "RECONNECTING", false);
      row(report, "connection_lost → RECONNECTING (base)", lost, 0, 1, orgs);
      FanOut.awaitConnected(api, orgs);
      Map<String, long[]> logout = page.run(orgs, gap, "logged_out", "LOGGED_OUT", true);
      row(report, "401 → LOGGED_OUT", logout, 0, 1, orgs);
      row(report, "connect → QR", logout, 2, 3, orgs);
      row(report, "401 → fresh QR", logout, 0, 3, orgs);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      DataDirs.deleteTree(data);
    }
    System.out.println("written to " + report.file());
  }

  private static void row(Report report, String name, Map<String, long[]> times, int from,
      int to, int orgs) throws Exception {
    Latencies l = new Latencies();
    long missing = 0;
    for (long[] t : times.values()) {
      if (t[from] > 0 && t[to] > 0) {
        l.add((t[to] - t[from]) / 1000);
      } else {
        missing++;
      }
    }
    missing += orgs - times.size();
    Latencies.Summary s = l.summary();
    report.row(new JsonObject().put("what", name).put("latency", s.json()).put("lost", missing),
        name, s.count(), String.format("%.1f", s.p50()), String.format("%.1f", s.p99()),
        String.format("%.1f", s.max()), missing, String.format("%.1f",
            VigiaProcess.loadAverage()));
  }

  /** The admin page: one {@code /api/stream}, and the requests a person makes from it. */
  private static final class Page {

    private final Vertx vertx;
    private final int port;
    private final Api api;
    private final HttpClientAgent http;
    private final StringBuilder pending = new StringBuilder();
    /** Per org: fault sent, signal seen, connect sent, QR seen (System.nanoTime). */
    private Map<String, long[]> times = new HashMap<>();
    private String signal;
    private boolean reconnect;
    private Promise<Void> done;
    private int expected;
    private int outcomes;

    Page(Vertx vertx, int port, Api api) {
      this.vertx = vertx;
      this.port = port;
      this.api = api;
      this.http = vertx.createHttpClient(new HttpClientOptions(),
          new PoolOptions().setHttp1MaxSize(64));
    }

    void open() throws Exception {
      Promise<Void> opened = Promise.promise();
      vertx.runOnContext(v -> http.request(new RequestOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/api/stream").addHeader("Cookie", api.cookie()))
          .compose(req -> req.send())
          .onSuccess(resp -> {
            resp.handler(this::chunk);
            opened.complete();
          })
          .onFailure(opened::fail));
      opened.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Faults every org {@code gap} ms apart; waits (at most a minute) for every outcome. */
    Map<String, long[]> run(int orgs, int gap, String kind, String signal, boolean reconnect)
        throws Exception {
      Promise<Void> finished = Promise.promise();
      vertx.runOnContext(v -> {
        times = new HashMap<>();
        this.signal = signal;
        this.reconnect = reconnect;
        done = finished;
        expected = orgs;
        outcomes = 0;
        int[] next = {1};
        vertx.setPeriodic(gap, id -> {
          if (next[0] > orgs) {
            vertx.cancelTimer(id);
            return;
          }
          String org = DataDirs.org(next[0]++);
          long[] t = new long[4];
          times.put(org, t);
          t[0] = System.nanoTime();
          post("/api/sim/sessions/" + org + "/fault", new JsonObject().put("kind", kind));
        });
        vertx.setTimer(gap * (long) orgs + 60_000, id -> finished.tryComplete());
      });
      finished.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      Promise<Map<String, long[]>> copy = Promise.promise();
      vertx.runOnContext(v -> copy.complete(new HashMap<>(times)));
      return copy.future().toCompletionStage().toCompletableFuture().get();
    }

    private void post(String uri, JsonObject body) {
      http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(port).setURI(uri).addHeader("Cookie", api.cookie())
              .addHeader("X-XSRF-TOKEN", api.xsrf()).addHeader("Content-Type", "application/json"))
          .compose(req -> req.send(Buffer.buffer(body.encode())))
          .compose(resp -> resp.body());
    }

    private void chunk(Buffer buf) {
      long now = System.nanoTime();
      pending.append(buf.toString());
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        int data = pending.indexOf("data: ");
        if (data >= 0 && data < end) {
          change(new JsonObject(pending.substring(data + 6, end)), now);
        }
        pending.delete(0, end + 2);
      }
    }

    private void change(JsonObject change, long now) {
      long[] t = times.get(change.getString("org"));
      if (t == null || done == null) {
        return;
      }
      String to = change.getString("to");
      if (t[1] == 0 && signal.equals(to)) {
        t[1] = now;
        if (reconnect) {
          t[2] = System.nanoTime();
          post("/api/sessions/" + change.getString("org") + "/connect", new JsonObject());
        }
      } else if (reconnect && t[2] > 0 && t[3] == 0 && "QR_REQUIRED".equals(to)
          && change.getJsonObject("qr") != null) {
        t[3] = now;
      }
      if ((reconnect ? t[3] : t[1]) == now && ++outcomes == expected) {
        done.tryComplete();
      }
    }
  }
}
