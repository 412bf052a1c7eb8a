package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import dev.vigia.common.gateway.EngineRestartRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.common.ops.Doctor;
import dev.vigia.common.session.SessionView;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.MonitorClient;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.Org;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The old runbook's commands for admins, through the API (the page's Operations view and the
 * command line): {@code GET /api/ops/status} (every session, the engine, the store, the disk, the
 * network: {@code pm2 status}, {@code ls auth_sessions/}, {@code df -h}), {@code GET
 * /api/ops/doctor} (the same, checked now, with each problem's fix) and {@code POST
 * /api/ops/engine/restart} ({@code pm2 restart}: every open session closes and comes back).
 */
public final class OpsRoutes {

  /** The gateway waits up to 30 s for the engine to answer again; the request a little longer. */
  static final Duration RESTART_TIMEOUT = Duration.ofSeconds(40);
  /** A fresh network check waits at most 5 s for WhatsApp's address. */
  static final Duration FRESH_TIMEOUT = Duration.ofSeconds(8);

  private final AccountStore accounts;
  private final GatewayClient gateway;
  private final MonitorClient monitor;
  private final Authenticator auth;
  private final String engine;
  private final String store;
  private final Clock clock;

  public OpsRoutes(AccountStore accounts, GatewayClient gateway, MonitorClient monitor,
      Authenticator auth, String engine, String store, Clock clock) {
    this.accounts = accounts;
    this.gateway = gateway;
    this.monitor = monitor;
    this.auth = auth;
    this.engine = engine;
    this.store = store;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/ops/status").handler(auth.admin()).handler(ctx ->
        status(false).onSuccess(s -> JsonResponses.send(ctx, 200, s)).onFailure(ctx::fail));
    router.get("/api/ops/doctor").handler(auth.admin()).handler(ctx ->
        status(true).onSuccess(s -> JsonResponses.send(ctx, 200, s.put("problems",
            new JsonArray(Doctor.examine(s).stream().map(Doctor.Problem::toJson).toList()))))
            .onFailure(ctx::fail));
    router.post("/api/ops/engine/restart").handler(auth.admin()).handler(this::restart);
  }

  private void restart(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    String reason = JsonBodies.string(JsonBodies.object(ctx), "reason", false, 200);
    gateway.restartEngine(new EngineRestartRequest(caller.actor(), reason), RESTART_TIMEOUT)
        .onSuccess(result -> JsonResponses.send(ctx, 200, result))
        .onFailure(ctx::fail);
  }

  /**
   * The status report {@link Doctor} reads: what the gateway says of its engine and store (a
   * gateway that does not answer is said so), the monitor's disk and network checks, and every
   * org's session (orgs never connected are {@code STOPPED}). {@code fresh}: checks made now.
   */
  Future<JsonObject> status(boolean fresh) {
    Future<Readiness> ready = gateway.readiness(HealthRoutes.READY_TIMEOUT);
    Future<SystemHealth> system = monitor.system(fresh, fresh ? FRESH_TIMEOUT
        : HealthRoutes.READY_TIMEOUT);
    Future<List<SessionView>> sessions = gateway.list();
    Future<List<Org>> orgs = accounts.listOrgs();
    return Future.join(ready, system, sessions, orgs).transform(ignored -> {
      if (orgs.failed()) {
        return Future.failedFuture(orgs.cause());
      }
      JsonObject report = new JsonObject().put("source", "server")
          .put("at", clock.instant().toString());
      if (ready.succeeded()) {
        Readiness r = ready.result();
        report.put("engine", check(engine, r.engineOk(), r.engineDetail()))
            .put("store", check(store, r.storeOk(), r.storeDetail()));
        if (r.restoring() != null) {
          report.put("restoring", r.restoring());
        }
      } else {
        String why = "the session gateway does not answer";
        report.put("engine", check(engine, false, why)).put("store", check(store, false, why));
      }
      SystemHealth s = system.succeeded() ? system.result() : null;
      report.put("disk", s == null ? unknown("the monitor does not answer") : Json.toJson(s.disk()))
          .put("network", s == null ? unknown("the monitor does not answer")
              : Json.toJson(s.network()));
      report.put("sessions", sessions(sessions.succeeded() ? sessions.result() : List.of(),
          orgs.result()));
      if (sessions.failed()) {
        report.put("sessionsDetail", "the session gateway does not answer: the list is the"
            + " organizations only");
      }
      return Future.succeededFuture(report);
    });
  }

  private static JsonArray sessions(List<SessionView> views, List<Org> orgs) {
    Map<String, JsonObject> byOrg = new TreeMap<>();
    for (SessionView v : views) {
      if (v != null && v.org() != null) {
        byOrg.put(v.org(), Json.toJson(v.withoutSecrets()));
      }
    }
    for (Org org : orgs) {
      byOrg.computeIfAbsent(org.id(), id -> new JsonObject().put("org", id).put("state",
          "STOPPED")).put("name", org.name());
    }
    return new JsonArray(List.copyOf(byOrg.values()));
  }

  private static JsonObject check(String name, boolean up, String detail) {
    JsonObject c = new JsonObject().put("name", name).put("status", up ? "UP" : "DOWN");
    return detail == null ? c : c.put("detail", detail);
  }

  private static JsonObject unknown(String detail) {
    return new JsonObject().put("status", SystemHealth.UNKNOWN).put("detail", detail);
  }
}
