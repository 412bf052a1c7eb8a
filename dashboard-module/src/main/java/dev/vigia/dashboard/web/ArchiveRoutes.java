package dev.vigia.dashboard.web;

import dev.vigia.common.ArchiveId;
import dev.vigia.common.Json;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.gateway.RestoreRequest;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.account.AccountStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Undo a clear (DESIGN §5, issue 9): an org's archived auth states, and restoring one into an
 * org with no live state. For the people of the org (and admins) only, never an API key: a
 * cleared login is often one a person took away on purpose (a conflict, a lost phone), and
 * bringing it back is a person's decision, taken after a confirmation; a leaked key must not
 * bring old credentials back to life. The list also names the org's number and who cleared it.
 */
public final class ArchiveRoutes {

  private final AccountStore accounts;
  private final GatewayClient gateway;
  private final Authenticator auth;

  public ArchiveRoutes(AccountStore accounts, GatewayClient gateway, Authenticator auth) {
    this.accounts = accounts;
    this.gateway = gateway;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.get("/api/sessions/:org/archives").handler(auth.org()).handler(auth.user())
        .handler(this::list);
    router.post("/api/sessions/:org/archives/:id/restore").handler(auth.org())
        .handler(auth.user()).handler(this::restore);
  }

  private void list(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    Authenticator.caller(ctx).requireAccess(org);
    known(org).compose(v -> gateway.archives(org))
        .onSuccess(list -> JsonResponses.send(ctx, 200, new JsonObject().put("org", org)
            .put("archives", new JsonArray(archives(list == null ? null : list.archives())))))
        .onFailure(ctx::fail);
  }

  private void restore(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    String org = ctx.pathParam("org");
    caller.requireAccess(org);
    String id = ctx.pathParam("id");
    if (!ArchiveId.isValid(id)) {
      throw ApiException.badRequest("invalid_archive_id",
          "invalid archive id: " + ArchiveId.describeInvalid());
    }
    known(org).compose(v -> gateway.restore(new RestoreRequest(org, id, caller.actor())))
        .onSuccess(result -> JsonResponses.send(ctx, 202,
            Json.toJson(result.session()).put("restoredFrom", result.restoredFrom())))
        .onFailure(ctx::fail);
  }

  /** Only an org the accounts know: the gateway never hears of any other id. */
  private Future<Void> known(String org) {
    return accounts.findOrg(org).compose(found -> found.isPresent() ? Future.succeededFuture()
        : Future.failedFuture(new ApiException(404, "unknown_org", "organization " + org
            + " does not exist")));
  }

  private static List<JsonObject> archives(List<ArchivedState> archives) {
    return archives == null ? List.of() : archives.stream().map(Json::toJson).toList();
  }
}
