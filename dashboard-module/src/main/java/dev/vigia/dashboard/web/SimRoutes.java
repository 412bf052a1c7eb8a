package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.SimRequest;
import dev.vigia.dashboard.GatewayClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Sim control: a phone scans the QR, or a fault is injected. Admin only, simulated engine only. */
public final class SimRoutes {

  /** The causes DESIGN §5 lets a person inject. */
  public static final Set<String> FAULTS = Set.of("connection_lost", "connection_closed",
      "restart_required", "conflict", "logged_out", "bad_session", "banned", "unavailable",
      "network_down", "network_up", "bad_mac");

  private final GatewayClient gateway;
  private final Authenticator auth;
  private final boolean simulated;

  public SimRoutes(GatewayClient gateway, Authenticator auth, boolean simulated) {
    this.gateway = gateway;
    this.auth = auth;
    this.simulated = simulated;
  }

  public void mount(Router router) {
    if (!simulated) {
      router.post("/api/sim/*").handler(ctx -> ctx.fail(ApiException.notFound(
          "sim control exists only with the simulated engine (VIGIA_ENGINE=simulated)")));
      return;
    }
    router.post("/api/sim/sessions/:org/scan").handler(auth.org()).handler(auth.admin())
        .handler(this::scan);
    router.post("/api/sim/sessions/:org/fault").handler(auth.org()).handler(auth.admin())
        .handler(this::fault);
  }

  private void scan(RoutingContext ctx) {
    send(ctx, new SimRequest(ctx.pathParam("org"), SimRequest.SCAN, null, null, null));
  }

  private void fault(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String kind = JsonBodies.string(body, "kind", true, 64);
    if (!FAULTS.contains(kind)) {
      throw ApiException.invalidField("kind", "must be one of " + new java.util.TreeSet<>(FAULTS));
    }
    String contact = JsonBodies.string(body, "contact", false, 128);
    Integer count = JsonBodies.integer(body, "count", 1, 1000);
    send(ctx, new SimRequest(ctx.pathParam("org"), SimRequest.FAULT, kind, contact, count));
  }

  private void send(RoutingContext ctx, SimRequest request) {
    gateway.sim(request)
        .onSuccess(reply -> JsonResponses.send(ctx, 202, reply))
        .onFailure(ctx::fail);
  }
}
