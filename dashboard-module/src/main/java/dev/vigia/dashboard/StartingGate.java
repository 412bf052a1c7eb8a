package dev.vigia.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;

/**
 * The HTTP server's request handler from the moment it listens. Until the dashboard has opened
 * its stores and built its routes, it answers {@code GET /health} itself (the process is alive),
 * {@code /health/ready} with a 503, and holds every other request, paused, until the router
 * takes it: so liveness answers within the JVM's and Vert.x's start whatever the data dir holds,
 * and a client that did not wait for anything gets its answer a little later, never a refusal.
 * Runs on the dashboard's context only (the server's), so the switch needs no lock.
 */
final class StartingGate implements Handler<HttpServerRequest> {

  /** Held requests beyond this many are refused with a 503 (a start should not hoard memory). */
  static final int MAX_HELD = 1_000;

  private static final String HEALTH = "{\"status\":\"UP\"}";
  private static final String NOT_READY = "{\"status\":\"DOWN\",\"checks\":{\"gateway\":"
      + "{\"status\":\"DOWN\",\"detail\":\"Vigía is starting\"}},\"error\":\"Vigía is starting\","
      + "\"code\":\"not_ready\"}";
  private static final String STARTING = "{\"error\":\"Vigía is starting: try again in a"
      + " moment\",\"code\":\"starting\"}";

  private final ArrayDeque<HttpServerRequest> held = new ArrayDeque<>();
  private Handler<HttpServerRequest> router;

  /** From now on every request goes to {@code router}, the held ones first, in their order. */
  void open(Handler<HttpServerRequest> router) {
    this.router = router;
    for (HttpServerRequest request = held.poll(); request != null; request = held.poll()) {
      router.handle(request);
      // the body handler resumed a request with a body; one without still has its end queued
      request.resume();
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (router != null) {
      router.handle(request);
      return;
    }
    boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    if (read && "/health".equals(request.path())) {
      answer(request, 200, HEALTH);
    } else if (read && "/health/ready".equals(request.path())) {
      answer(request, 503, NOT_READY);
    } else if (held.size() < MAX_HELD) {
      request.pause(); // its body waits for the router's body handler
      held.add(request);
    } else {
      request.response().putHeader("Retry-After", "1");
      answer(request, 503, STARTING);
    }
  }

  private static void answer(HttpServerRequest request, int status, String body) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(body);
  }
}
