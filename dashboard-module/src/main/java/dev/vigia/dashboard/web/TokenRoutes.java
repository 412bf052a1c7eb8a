package dev.vigia.dashboard.web;

import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.AdminToken;
import dev.vigia.dashboard.account.AdminTokens;
import dev.vigia.dashboard.account.TokenStore;
import dev.vigia.dashboard.live.OpenStreams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Admin tokens for the command line: an admin makes one for themself (shown once, stored as a
 * hash), lists every admin's (never the token nor its hash) and revokes any. Admin only.
 */
public final class TokenRoutes {

  /** What {@link AdminTokens#generate} makes: anything else cannot name a token. */
  private static final Pattern TOKEN_ID = Pattern.compile("tok_[0-9a-f]{16}");

  private final AccountStore accounts;
  private final TokenStore tokens;
  private final Authenticator auth;
  private final Clock clock;
  private final OpenStreams streams;

  public TokenRoutes(AccountStore accounts, TokenStore tokens, Authenticator auth, Clock clock,
      OpenStreams streams) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.auth = auth;
    this.clock = clock;
    this.streams = streams;
  }

  public void mount(Router router) {
    router.post("/api/tokens").handler(auth.admin()).handler(this::create);
    router.get("/api/tokens").handler(auth.admin()).handler(this::list);
    router.delete("/api/tokens/:id").handler(TokenRoutes::tokenId).handler(auth.admin())
        .handler(this::revoke);
  }

  /** 400 unless {@code :id} could be a token id; before the login check, like the org guard. */
  private static void tokenId(RoutingContext ctx) {
    if (!TOKEN_ID.matcher(ctx.pathParam("id")).matches()) {
      ctx.fail(ApiException.badRequest("invalid_token_id", "invalid token id: it looks like tok_"
          + "followed by 16 hex digits (see GET /api/tokens)"));
      return;
    }
    ctx.next();
  }

  private void create(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    String label = JsonBodies.string(JsonBodies.object(ctx), "label", false, 200);
    accounts.findUser(caller.username())
        .compose(user -> user.isEmpty()
            ? Future.failedFuture(ApiException.unauthenticated())
            : Future.succeededFuture(AdminTokens.generate(user.get(), label, clock.instant())))
        .compose(made -> tokens.create(made.stored()).map(stored -> publicView(stored)
            .put("token", made.value())))
        .onSuccess(body -> JsonResponses.send(ctx, 201, body))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    tokens.list()
        .onSuccess(all -> JsonResponses.send(ctx, 200, new JsonObject().put("tokens",
            new JsonArray(all.stream().map(TokenRoutes::publicView).toList()))))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    tokens.delete(ctx.pathParam("id"))
        .onSuccess(token -> {
          // the authenticator reads the store on every request; only open streams remain
          streams.closeLogin(Authenticator.tokenLogin(token.id()));
          JsonResponses.noContent(ctx);
        })
        .onFailure(ctx::fail);
  }

  /** A token as an admin may see it: never its hash, and the token itself only at creation. */
  private static JsonObject publicView(AdminToken token) {
    return new JsonObject().put("id", token.id()).put("username", token.username())
        .put("label", token.label()).put("createdAt", token.createdAt().toString());
  }
}
