package dev.vigia.dashboard.web;

import dev.vigia.dashboard.GatewayClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;

/** {@code GET /health} (the process answers) and {@code GET /health/ready} (the gateway answers). */
public final class HealthRoutes {

  public static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final GatewayClient gateway;

  public HealthRoutes(GatewayClient gateway) {
    this.gateway = gateway;
  }

  public void mount(Router router) {
    router.get("/health").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP"));
    });
    router.get("/health/ready").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      gateway.list(READY_TIMEOUT)
          .onSuccess(sessions -> JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP")))
          .onFailure(err -> ErrorHandler.send(ctx, 503, new JsonObject().put("status", "DOWN")
              .put("error", "the session gateway does not answer").put("code", "not_ready")));
    });
  }
}
