package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.Readiness;
import dev.vigia.dashboard.GatewayClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * {@code GET /health} (the process answers) and {@code GET /health/ready}: the gateway answers,
 * its auth-state store can write, its engine can open sessions; 503 when any of them cannot.
 */
public final class HealthRoutes {

  public static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final GatewayClient gateway;
  private final String engine;

  /** @param engine the engine's name ({@code baileys}, {@code simulated}): the page says "demo" for the simulated one */
  public HealthRoutes(GatewayClient gateway, String engine) {
    this.gateway = gateway;
    this.engine = engine;
  }

  public void mount(Router router) {
    router.get("/health").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP"));
    });
    router.get("/health/ready").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      gateway.readiness(READY_TIMEOUT)
          .onSuccess(r -> {
            JsonObject checks = new JsonObject()
                .put("gateway", check(true, null))
                .put("store", check(r.storeOk(), r.storeDetail()))
                .put("engine", check(r.engineOk(), r.engineDetail()).put("name", engine))
                .put("sessions", check(true, r.restoring())); // "restoring n/N" until done
            if (r.ready()) {
              JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP")
                  .put("checks", checks));
            } else {
              ErrorHandler.send(ctx, 503, notReady(checks, "the store or the engine is not ready"));
            }
          })
          .onFailure(err -> {
            // without the gateway nothing can be said of its store or engine
            String unknown = "unknown: the session gateway does not answer";
            JsonObject checks = new JsonObject()
                .put("gateway", check(false, "the session gateway does not answer"))
                .put("store", check(false, unknown))
                .put("engine", check(false, unknown).put("name", engine));
            ErrorHandler.send(ctx, 503, notReady(checks, "the session gateway does not answer"));
          });
    });
  }

  private static JsonObject notReady(JsonObject checks, String error) {
    return new JsonObject().put("status", "DOWN").put("checks", checks).put("error", error)
        .put("code", "not_ready");
  }

  private static JsonObject check(boolean up, String detail) {
    JsonObject c = new JsonObject().put("status", up ? "UP" : "DOWN");
    return detail == null ? c : c.put("detail", detail);
  }
}
