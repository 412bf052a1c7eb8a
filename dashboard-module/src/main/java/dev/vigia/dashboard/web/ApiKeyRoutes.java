package dev.vigia.dashboard.web;

import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.ApiKey;
import dev.vigia.dashboard.account.ApiKeys;
import dev.vigia.dashboard.live.OpenStreams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.regex.Pattern;

/** An org's API keys: created (shown once), listed (never the key nor its hash), revoked. Admin only. */
public final class ApiKeyRoutes {

  /** What {@link ApiKeys#generate} makes: anything else cannot name a key. */
  private static final Pattern KEY_ID = Pattern.compile("key_[0-9a-f]{16}");

  private final AccountStore accounts;
  private final Authenticator auth;
  private final Clock clock;
  private final OpenStreams streams;

  public ApiKeyRoutes(AccountStore accounts, Authenticator auth, Clock clock, OpenStreams streams) {
    this.accounts = accounts;
    this.auth = auth;
    this.clock = clock;
    this.streams = streams;
  }

  public void mount(Router router) {
    router.post("/api/orgs/:org/api-keys").handler(auth.org()).handler(auth.admin())
        .handler(this::createApiKey);
    router.get("/api/orgs/:org/api-keys").handler(auth.org()).handler(auth.admin())
        .handler(this::listApiKeys);
    router.delete("/api/orgs/:org/api-keys/:id").handler(auth.org()).handler(ApiKeyRoutes::keyId)
        .handler(auth.admin()).handler(this::revokeApiKey);
  }

  /** 400 unless {@code :id} could be a key id; like the org guard, before the login check. */
  private static void keyId(RoutingContext ctx) {
    if (!KEY_ID.matcher(ctx.pathParam("id")).matches()) {
      ctx.fail(ApiException.badRequest("invalid_key_id", "invalid API key id: it looks like key_"
          + "followed by 16 hex digits (see GET /api/orgs/{org}/api-keys)"));
      return;
    }
    ctx.next();
  }

  private void createApiKey(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    JsonObject body = JsonBodies.object(ctx);
    String label = JsonBodies.string(body, "label", false, 200);
    ApiKeys.Generated key = ApiKeys.generate(org, label, clock.instant());
    accounts.createApiKey(key.stored())
        .onSuccess(k -> JsonResponses.send(ctx, 201, new JsonObject()
            .put("id", k.id()).put("key", key.value()).put("org", k.org())
            .put("label", k.label()).put("createdAt", k.createdAt().toString())))
        .onFailure(ctx::fail);
  }

  private void listApiKeys(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    accounts.findOrg(org)
        .compose(found -> found.isEmpty()
            ? Future.failedFuture(ApiException.notFound("organization " + org + " does not exist"))
            : accounts.listApiKeys(org))
        .onSuccess(keys -> JsonResponses.send(ctx, 200, new JsonObject().put("keys",
            new JsonArray(keys.stream().map(ApiKeyRoutes::publicView).toList()))))
        .onFailure(ctx::fail);
  }

  private void revokeApiKey(RoutingContext ctx) {
    accounts.deleteApiKey(ctx.pathParam("org"), ctx.pathParam("id"))
        .onSuccess(key -> {
          // the authenticator reads the store on every request; only open streams remain
          streams.closeKey(key.id());
          JsonResponses.noContent(ctx);
        })
        .onFailure(ctx::fail);
  }

  /** A key as an admin may see it: never its hash, and the key itself only at creation. */
  private static JsonObject publicView(ApiKey key) {
    return new JsonObject().put("id", key.id()).put("org", key.org()).put("label", key.label())
        .put("createdAt", key.createdAt().toString());
  }
}
