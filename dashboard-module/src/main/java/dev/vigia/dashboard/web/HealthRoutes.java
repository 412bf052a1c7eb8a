package dev.vigia.dashboard.web;

import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.MonitorClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * {@code GET /health} (the process answers) and {@code GET /health/ready}: the gateway answers,
 * its auth-state store can write, its engine can open sessions, the data dir's disk is not full;
 * 503 when any of them cannot. Beside them, from the monitor's last checks, the disk's space and
 * whether WhatsApp's address answers ({@code network}): an unreachable WhatsApp is shown, not
 * made a 503 (Vigía still serves its page and API, which say so).
 */
public final class HealthRoutes {

  public static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final GatewayClient gateway;
  private final MonitorClient monitor;
  private final String engine;

  /** @param engine the engine's name ({@code baileys}, {@code simulated}): the page says "demo" for the simulated one */
  public HealthRoutes(GatewayClient gateway, MonitorClient monitor, String engine) {
    this.gateway = gateway;
    this.monitor = monitor;
    this.engine = engine;
  }

  public void mount(Router router) {
    router.get("/health").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP"));
    });
    router.get("/health/ready").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      Future<SystemHealth> system = monitor.system(false, READY_TIMEOUT)
          .otherwise(err -> null);
      gateway.readiness(READY_TIMEOUT).onComplete(ready -> system.onComplete(sys -> {
            JsonObject disk = disk(sys.result());
            JsonObject network = network(sys.result());
            if (ready.failed()) {
              // without the gateway nothing can be said of its store or engine
              String unknown = "unknown: the session gateway does not answer";
              JsonObject checks = new JsonObject()
                  .put("gateway", check(false, "the session gateway does not answer"))
                  .put("store", check(false, unknown))
                  .put("engine", check(false, unknown).put("name", engine))
                  .put("disk", disk).put("network", network);
              ErrorHandler.send(ctx, 503, notReady(checks, "the session gateway does not answer"));
              return;
            }
            var r = ready.result();
            JsonObject checks = new JsonObject()
                .put("gateway", check(true, null))
                .put("store", check(r.storeOk(), r.storeDetail()))
                .put("engine", check(r.engineOk(), r.engineDetail()).put("name", engine))
                .put("sessions", check(true, r.restoring())) // "restoring n/N" until done
                .put("disk", disk)
                .put("network", network);
            boolean diskFull = SystemHealth.DOWN.equals(disk.getString("status"));
            if (r.ready() && !diskFull) {
              JsonResponses.send(ctx, 200, new JsonObject().put("status", "UP")
                  .put("checks", checks));
            } else {
              ErrorHandler.send(ctx, 503, notReady(checks, diskFull && r.ready()
                  ? "the data dir's disk is full" : "the store or the engine is not ready"));
            }
          }));
    });
  }

  /** The disk's status and sizes, never its path (anyone may read readiness). */
  private static JsonObject disk(SystemHealth system) {
    if (system == null || system.disk() == null) {
      return check(SystemHealth.UNKNOWN, "the monitor does not answer");
    }
    SystemHealth.Disk d = system.disk();
    JsonObject c = check(d.status(), d.detail());
    putIfSet(c, "freeBytes", d.freeBytes());
    putIfSet(c, "totalBytes", d.totalBytes());
    putIfSet(c, "dataBytes", d.dataBytes());
    putIfSet(c, "warnBelowBytes", d.warnBelowBytes());
    return c;
  }

  private static JsonObject network(SystemHealth system) {
    if (system == null || system.network() == null) {
      return check(SystemHealth.UNKNOWN, "the monitor does not answer");
    }
    SystemHealth.Network n = system.network();
    JsonObject c = check(n.status(), n.detail());
    return n.target() == null ? c : c.put("target", n.target());
  }

  private static void putIfSet(JsonObject json, String key, Long value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static JsonObject notReady(JsonObject checks, String error) {
    return new JsonObject().put("status", "DOWN").put("checks", checks).put("error", error)
        .put("code", "not_ready");
  }

  private static JsonObject check(boolean up, String detail) {
    return check(up ? "UP" : "DOWN", detail);
  }

  private static JsonObject check(String status, String detail) {
    JsonObject c = new JsonObject().put("status", status);
    return detail == null ? c : c.put("detail", detail);
  }
}
