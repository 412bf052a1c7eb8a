package dev.vigia.dashboard.web;

import dev.vigia.dashboard.MonitorClient;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the monitor knows, through the dashboard's access rules: an org's health and daily stats
 * (its people, an admin, or its API key) and the stale-session dry run (admin only).
 */
public final class MonitorRoutes {

  public static final int DEFAULT_DAYS = 30;
  public static final int MAX_DAYS = 366;

  private final MonitorClient monitor;
  private final Authenticator auth;

  public MonitorRoutes(MonitorClient monitor, Authenticator auth) {
    this.monitor = monitor;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.get("/api/sessions/:org/health").handler(auth.org()).handler(auth.userOrKey())
        .handler(this::health);
    router.get("/api/sessions/:org/stats").handler(auth.org()).handler(auth.userOrKey())
        .handler(this::stats);
    router.get("/api/maintenance/stale").handler(auth.admin()).handler(this::stale);
  }

  private void health(RoutingContext ctx) {
    String org = orgOfCaller(ctx);
    monitor.health(org)
        .onSuccess(health -> JsonResponses.send(ctx, 200, health))
        .onFailure(err -> ctx.fail(monitorFailure(err)));
  }

  private void stats(RoutingContext ctx) {
    String org = orgOfCaller(ctx);
    int days = DEFAULT_DAYS;
    String raw = ctx.queryParams().get("days");
    if (raw != null) {
      try {
        days = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        days = -1;
      }
      if (days < 1 || days > MAX_DAYS) {
        throw ApiException.invalidField("days", "must be a whole number from 1 to " + MAX_DAYS);
      }
    }
    monitor.stats(org, days)
        .onSuccess(page -> JsonResponses.send(ctx, 200, page))
        .onFailure(err -> ctx.fail(monitorFailure(err)));
  }

  private void stale(RoutingContext ctx) {
    monitor.stale()
        .onSuccess(list -> JsonResponses.send(ctx, 200, list))
        .onFailure(err -> ctx.fail(monitorFailure(err)));
  }

  /** A monitor that is absent or slow is named as such; its own refusals pass through. */
  private static Throwable monitorFailure(Throwable err) {
    if (err instanceof ReplyException r && (r.failureType() == ReplyFailure.NO_HANDLERS
        || r.failureType() == ReplyFailure.TIMEOUT)) {
      return new ApiException(503, "unavailable",
          "the monitor is not answering (is it running?); try again in a moment");
    }
    return err;
  }

  private static String orgOfCaller(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    Authenticator.caller(ctx).requireAccess(org);
    return org;
  }
}
