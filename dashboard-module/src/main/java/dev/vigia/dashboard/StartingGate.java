package dev.vigia.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The HTTP server's request handler from the moment it listens: until the dashboard has opened
 * its stores and built its routes it answers {@code GET /health} itself (the process is alive)
 * and every other request with a 503 in the API's error shape; then it hands every request to
 * the router. So liveness answers within the JVM's and Vert.x's start, whatever the number of
 * accounts and sessions, and nothing else is answered before it can be answered right.
 * Runs on the dashboard's context only (the server's), so the switch needs no lock.
 */
final class StartingGate implements Handler<HttpServerRequest> {

  private static final String HEALTH = "{\"status\":\"UP\"}";
  private static final String NOT_READY = "{\"status\":\"DOWN\",\"checks\":{\"gateway\":"
      + "{\"status\":\"DOWN\",\"detail\":\"Vigía is starting\"}},\"error\":\"Vigía is starting\","
      + "\"code\":\"not_ready\"}";
  private static final String STARTING = "{\"error\":\"Vigía is starting: try again in a"
      + " moment\",\"code\":\"starting\"}";

  private Handler<HttpServerRequest> router;

  /** From now on every request goes to {@code router}. */
  void open(Handler<HttpServerRequest> router) {
    this.router = router;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (router != null) {
      router.handle(request);
      return;
    }
    String path = request.path();
    boolean get = request.method().name().equals("GET") || request.method().name().equals("HEAD");
    if (get && "/health".equals(path)) {
      answer(request, 200, HEALTH);
    } else if (get && "/health/ready".equals(path)) {
      answer(request, 503, NOT_READY);
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
