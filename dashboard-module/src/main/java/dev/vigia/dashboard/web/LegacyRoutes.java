package dev.vigia.dashboard.web;

import dev.vigia.common.OrgId;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The two clear endpoints of the old system, answering its JSON, so existing callers keep
 * working: the Django dashboard's {@code POST /dashboard/whatsapp-baileys/clear/} and the Node
 * server's {@code POST /api/clear-session}.
 */
public final class LegacyRoutes {

  private final Authenticator auth;
  private final SessionRoutes sessions;

  public LegacyRoutes(Authenticator auth, SessionRoutes sessions) {
    this.auth = auth;
    this.sessions = sessions;
  }

  public void mount(Router router) {
    router.post("/dashboard/whatsapp-baileys/clear/").handler(auth.userWithLegacyCsrf())
        .handler(this::dashboardClear);
    router.post("/api/clear-session").handler(auth.userOrKey()).handler(this::serverClear);
  }

  /** Org: {@code ?org=}, the form or JSON field {@code organization_id}, else the user's first. */
  private void dashboardClear(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    String org = ctx.request().getParam("org");
    if (org == null) {
      org = ctx.request().getParam("organization_id");
    }
    if (org == null && isJson(ctx)) {
      org = organizationId(JsonBodies.object(ctx), false);
    }
    if (org == null) {
      if (caller.orgs().isEmpty()) {
        throw ApiException.badRequest("missing_org",
            "name the organization: ?org=<id> or the field organization_id");
      }
      org = caller.orgs().get(0);
    }
    clear(ctx, caller, org);
  }

  private void serverClear(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    clear(ctx, caller, organizationId(JsonBodies.object(ctx), true));
  }

  private void clear(RoutingContext ctx, Caller caller, String org) {
    if (!OrgId.isValid(org)) {
      throw ApiException.invalidOrg();
    }
    caller.requireAccess(org);
    sessions.clearAndAnswer(ctx, caller, org);
  }

  /** {@code organization_id} as the old clients sent it: a number ({@code 2}) or a string. */
  private static String organizationId(JsonObject body, boolean required) {
    Object value = body.getValue("organization_id");
    if (value == null) {
      if (required) {
        throw ApiException.invalidField("organization_id", "is required");
      }
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    String number = JsonBodies.wholeNumber(value);
    if (number == null) {
      throw ApiException.invalidField("organization_id", "must be a whole number or a string");
    }
    return number;
  }

  private static boolean isJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
  }
}
