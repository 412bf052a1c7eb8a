package dev.vigia.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes state changes the way an operator's tests do: {@code POST /api/sim/sessions/<org>/fault}
 * {@code {"kind":"connection_lost"}} on connected orgs at a steady rate. Each fault is four
 * changes (CONNECTED → RECONNECTING, the monitor's RECONNECTING with its attempt, STARTING,
 * CONNECTED). An org gets at most {@link #FAULTS_PER_ORG} faults, below the monitor's breaker
 * (10 failures in 10 minutes), so every org keeps cycling. Runs on the client's event loop.
 */
final class FaultInjector {

  static final int CHANGES_PER_FAULT = 4;
  static final int FAULTS_PER_ORG = 8;
  private static final Buffer BODY = Buffer.buffer("{\"kind\":\"connection_lost\"}");

  private final Vertx vertx;
  private final HttpClientAgent http;
  private final int port;
  private final String cookie;
  private final String xsrf;
  private final ArrayDeque<String> connected = new ArrayDeque<>();
  private final Map<String, Integer> faults = new HashMap<>();
  private long timer = -1;
  private long started;
  private double perSecond;
  long sent;
  long failed;
  long skipped;

  FaultInjector(Vertx vertx, int port, String cookie, String xsrf, Iterable<String> orgs) {
    this.vertx = vertx;
    this.port = port;
    this.cookie = cookie;
    this.xsrf = xsrf;
    this.http = vertx.createHttpClient(new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(128));
    orgs.forEach(connected::add);
  }

  /** A change seen by the tracking receiver: a connected org may get a fault again. */
  void changed(String org, String to) {
    if ("CONNECTED".equals(to) && faults.getOrDefault(org, 0) < FAULTS_PER_ORG) {
      connected.add(org);
    }
  }

  /** Faults at {@code changesPerSecond / 4} a second, spread over 10 ms ticks. */
  void start(double changesPerSecond) {
    perSecond = changesPerSecond / CHANGES_PER_FAULT;
    started = System.nanoTime();
    timer = vertx.setPeriodic(10, id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void tick() {
    long due = (long) (perSecond * (System.nanoTime() - started) / 1e9);
    while (sent + skipped < due) {
      String org = connected.poll();
      if (org == null) {
        skipped++; // no org is connected right now: a change the bench could not make
        continue;
      }
      faults.merge(org, 1, Integer::sum);
      sent++;
      http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(port).setURI("/api/sim/sessions/" + org + "/fault")
              .addHeader("Cookie", cookie).addHeader("X-XSRF-TOKEN", xsrf)
              .addHeader("Content-Type", "application/json"))
          .compose(req -> req.send(BODY))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            if (ar.failed() || ar.result() != 202) {
              failed++;
            }
          });
    }
  }
}
