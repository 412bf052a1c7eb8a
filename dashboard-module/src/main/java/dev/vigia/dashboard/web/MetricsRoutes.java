package dev.vigia.dashboard.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text of the registry Vert.x was created with. Anyone who
 * reaches the listening interface may scrape (127.0.0.1 by default), unless
 * {@code VIGIA_METRICS_TOKEN} is set: then {@code Authorization: Bearer <token>} is required.
 */
public final class MetricsRoutes {

  private final String token;

  /** {@code token} null or blank: no token required. */
  public MetricsRoutes(String token) {
    this.token = token == null || token.isBlank() ? null : token;
  }

  public void mount(Router router) {
    router.get("/metrics").handler(this::authorize).handler(scraper());
  }

  private void authorize(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    if (token != null && !bearerMatches(ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vigia-metrics\"");
      ctx.fail(new ApiException(401, "unauthenticated",
          "send Authorization: Bearer <VIGIA_METRICS_TOKEN> to read the metrics"));
      return;
    }
    ctx.next();
  }

  private boolean bearerMatches(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  /** The scraper of the default registry; a 503 when Vert.x runs without Prometheus metrics. */
  private static Handler<RoutingContext> scraper() {
    return ctx -> {
      PrometheusMeterRegistry prometheus = prometheus(BackendRegistries.getDefaultNow());
      if (prometheus == null) {
        ctx.fail(new ApiException(503, "metrics_off",
            "metrics are not enabled in this process (Vert.x was started without Prometheus)"));
        return;
      }
      PrometheusScrapingHandler.create(prometheus).handle(ctx);
    };
  }

  private static PrometheusMeterRegistry prometheus(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry p) {
      return p;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry inner : composite.getRegistries()) {
        if (inner instanceof PrometheusMeterRegistry p) {
          return p;
        }
      }
    }
    return null;
  }
}
