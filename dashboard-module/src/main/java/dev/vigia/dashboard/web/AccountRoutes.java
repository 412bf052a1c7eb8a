package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.PasswordHasher;
import dev.vigia.dashboard.account.User;
import dev.vigia.dashboard.live.LiveFeed;
import dev.vigia.dashboard.live.OpenStreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Orgs and users: admin only (API keys: {@link ApiKeyRoutes}). */
public final class AccountRoutes {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}");

  private final Vertx vertx;
  private final AccountStore accounts;
  private final PasswordHasher hasher;
  private final GatewayClient gateway;
  private final Authenticator auth;
  private final WebSessions sessions;
  private final OpenStreams streams;
  private final LiveFeed feed;

  public AccountRoutes(Vertx vertx, AccountStore accounts, PasswordHasher hasher,
      GatewayClient gateway, Authenticator auth, WebSessions sessions,
      OpenStreams streams, LiveFeed feed) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.hasher = hasher;
    this.gateway = gateway;
    this.auth = auth;
    this.sessions = sessions;
    this.streams = streams;
    this.feed = feed;
  }

  public void mount(Router router) {
    router.get("/api/orgs").handler(auth.admin()).handler(this::listOrgs);
    router.post("/api/orgs").handler(auth.admin()).handler(this::createOrg);
    router.get("/api/orgs/:org").handler(auth.org()).handler(auth.admin()).handler(this::getOrg);
    router.patch("/api/orgs/:org").handler(auth.org()).handler(auth.admin()).handler(this::patchOrg);
    router.delete("/api/orgs/:org").handler(auth.org()).handler(auth.admin()).handler(this::deleteOrg);
    router.get("/api/users").handler(auth.admin()).handler(this::listUsers);
    router.post("/api/users").handler(auth.admin()).handler(this::createUser);
    router.patch("/api/users/:username").handler(AccountRoutes::username).handler(auth.admin())
        .handler(this::patchUser);
    router.delete("/api/users/:username").handler(AccountRoutes::username).handler(auth.admin())
        .handler(this::deleteUser);
  }

  /** 400 unless {@code :username} could be a username. */
  private static void username(RoutingContext ctx) {
    if (!USERNAME.matcher(ctx.pathParam("username")).matches()) {
      ctx.fail(ApiException.badRequest("invalid_username",
          "invalid username: use 1 to 64 letters, digits or _ . @ -"));
      return;
    }
    ctx.next();
  }

  private void listOrgs(RoutingContext ctx) {
    accounts.listOrgs()
        .onSuccess(orgs -> JsonResponses.send(ctx, 200,
            new JsonObject().put("orgs", new JsonArray(orgs.stream().map(Json::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void createOrg(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String id = JsonBodies.string(body, "id", true, 64);
    if (!OrgId.isValid(id)) {
      throw ApiException.invalidOrg();
    }
    String name = JsonBodies.string(body, "name", false, 200);
    String language = language(body);
    Org org = new Org(id, name == null || name.isBlank() ? id : name, emails(body), webhook(body),
        language);
    accounts.createOrg(org)
        .onSuccess(o -> {
          // an admin's open page follows the new org's own address (its QR) from now on
          feed.orgCreated(o.id());
          JsonResponses.send(ctx, 201, o);
        })
        .onFailure(ctx::fail);
  }

  private void getOrg(RoutingContext ctx) {
    String id = ctx.pathParam("org");
    accounts.findOrg(id)
        .onSuccess(o -> {
          if (o.isEmpty()) {
            ctx.fail(ApiException.notFound("organization " + id + " does not exist"));
          } else {
            JsonResponses.send(ctx, 200, o.get());
          }
        })
        .onFailure(ctx::fail);
  }

  private void patchOrg(RoutingContext ctx) {
    String id = ctx.pathParam("org");
    JsonObject body = JsonBodies.object(ctx);
    String name = JsonBodies.string(body, "name", false, 200);
    List<String> emails = body.containsKey("alertEmails") ? emails(body) : null;
    String webhook = webhook(body);
    String language = language(body);
    accounts.findOrg(id)
        .compose(found -> {
          Org old = found.orElseThrow(() ->
              ApiException.notFound("organization " + id + " does not exist"));
          return accounts.updateOrg(new Org(id,
              name == null || name.isBlank() ? old.name() : name,
              emails == null ? old.alertEmails() : emails,
              body.containsKey("webhookUrl") ? webhook : old.webhookUrl(),
              language == null ? old.language() : language));
        })
        .onSuccess(o -> JsonResponses.send(ctx, 200, o))
        .onFailure(ctx::fail);
  }

  private void deleteOrg(RoutingContext ctx) {
    String id = ctx.pathParam("org");
    accounts.findOrg(id)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(ApiException.notFound("organization " + id + " does not exist"));
          }
          return gateway.status(id)
              .map(view -> view != null && view.state() != null && view.state().isActive())
              .recover(err -> err instanceof ReplyException r && r.failureCode() == 404
                  ? Future.succeededFuture(false) : Future.failedFuture(err));
        })
        .compose(active -> active
            ? Future.failedFuture(ApiException.conflict("organization " + id
                + " still has a live WhatsApp session: disconnect or clear it first"))
            : accounts.deleteOrg(id))
        .onSuccess(v -> {
          // its keys are gone and its members no longer belong to it
          streams.closeMembersOf(id);
          feed.orgDeleted(id);
          JsonResponses.noContent(ctx);
        })
        .onFailure(ctx::fail);
  }

  private void listUsers(RoutingContext ctx) {
    accounts.listUsers()
        .onSuccess(users -> JsonResponses.send(ctx, 200, new JsonObject().put("users",
            new JsonArray(users.stream().map(AccountRoutes::publicView).toList()))))
        .onFailure(ctx::fail);
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String username = JsonBodies.string(body, "username", true, 64);
    if (!USERNAME.matcher(username).matches()) {
      throw ApiException.invalidField("username", "may only hold letters, digits and _ . @ -");
    }
    String password = JsonBodies.string(body, "password", true, 1024);
    if (password.length() < 8) {
      throw ApiException.invalidField("password", "must have at least 8 characters");
    }
    String role = JsonBodies.string(body, "role", true, 16);
    if (!Set.of(User.ADMIN, User.OPERATOR).contains(role)) {
      throw ApiException.invalidField("role", "must be 'admin' or 'operator'");
    }
    List<String> orgs = JsonBodies.strings(body, "orgs", 1000, 64);
    List<String> memberOf = orgs == null ? List.of() : orgs.stream().distinct().toList();
    for (String org : memberOf) {
      if (!OrgId.isValid(org)) {
        throw ApiException.invalidField("orgs", "holds an invalid organization id");
      }
    }
    requireOrgs(memberOf)
        // hashes run side by side on the worker pool: one slow hash must not queue the others
        .compose(v -> vertx.executeBlocking(() -> hasher.hash(password), false))
        .compose(hash -> accounts.createUser(new User(username, hash, role, memberOf)))
        .onSuccess(u -> JsonResponses.send(ctx, 201, publicView(u)))
        .onFailure(ctx::fail);
  }

  private void patchUser(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    JsonObject body = JsonBodies.object(ctx);
    String password = JsonBodies.string(body, "password", false, 1024);
    if (password != null && password.length() < 8) {
      throw ApiException.invalidField("password", "must have at least 8 characters");
    }
    String role = JsonBodies.string(body, "role", false, 16);
    if (role != null && !Set.of(User.ADMIN, User.OPERATOR).contains(role)) {
      throw ApiException.invalidField("role", "must be 'admin' or 'operator'");
    }
    List<String> orgs = JsonBodies.strings(body, "orgs", 1000, 64);
    List<String> memberOf = orgs == null ? null : orgs.stream().distinct().toList();
    if (memberOf != null && memberOf.stream().anyMatch(o -> !OrgId.isValid(o))) {
      throw ApiException.invalidField("orgs", "holds an invalid organization id");
    }
    if (password == null && role == null && memberOf == null) {
      throw ApiException.badRequest("nothing_to_change",
          "send at least one of 'password', 'role' or 'orgs'");
    }
    accounts.findUser(username)
        .compose(found -> found.isEmpty()
            ? Future.failedFuture(ApiException.notFound("user " + username + " does not exist"))
            : requireOrgs(memberOf == null ? List.of() : memberOf))
        // hashes run side by side on the worker pool: one slow hash must not queue the others
        .compose(v -> password == null ? Future.<String>succeededFuture(null)
            : vertx.executeBlocking(() -> hasher.hash(password), false))
        .compose(hash -> accounts.updateUser(username, old -> new User(username,
            hash == null ? old.passwordHash() : hash,
            role == null ? old.role() : role,
            memberOf == null ? old.orgs() : memberOf)))
        .compose(u -> loggedOut(username).map(u))
        .onSuccess(u -> JsonResponses.send(ctx, 200, publicView(u)))
        .onFailure(ctx::fail);
  }

  private void deleteUser(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    accounts.deleteUser(username)
        .compose(v -> loggedOut(username))
        .onSuccess(v -> JsonResponses.noContent(ctx))
        .onFailure(ctx::fail);
  }

  /**
   * A changed user starts again: its logins and open streams were made with what it was. When
   * the logins cannot be ended the change is saved but the answer says so (503): the person must
   * not believe an old login was ended when it was not.
   */
  private Future<Void> loggedOut(String username) {
    streams.closeUser(username);
    return sessions.removeUser(username).recover(e -> Future.failedFuture(new ApiException(503,
        "logins_not_ended", "the change was saved, but the user's open logins could not be"
        + " ended (the database is not answering): repeat the change in a moment")));
  }

  /** Fails with a 400 naming the first of {@code orgs} that does not exist. */
  private Future<Void> requireOrgs(List<String> orgs) {
    return accounts.listOrgs().compose(known -> {
      Set<String> ids = known.stream().map(Org::id).collect(java.util.stream.Collectors.toSet());
      for (String org : orgs) {
        if (!ids.contains(org)) {
          return Future.failedFuture(ApiException.invalidField("orgs",
              "names organization " + org + ", which does not exist"));
        }
      }
      return Future.succeededFuture();
    });
  }

  private static JsonObject publicView(User user) {
    return new JsonObject().put("username", user.username()).put("role", user.role())
        .put("orgs", user.orgs());
  }

  private static List<String> emails(JsonObject body) {
    List<String> emails = JsonBodies.strings(body, "alertEmails", 50, 320);
    if (emails == null) {
      return List.of();
    }
    for (String e : emails) {
      if (!EMAIL.matcher(e).matches()) {
        throw ApiException.invalidField("alertEmails", "holds something that is not an e-mail address");
      }
    }
    return emails;
  }

  /** The alert language, or null when the body does not set one. */
  private static String language(JsonObject body) {
    String language = JsonBodies.string(body, "language", false, 8);
    if (language != null && !Org.LANGUAGES.contains(language)) {
      throw ApiException.invalidField("language", "must be 'es' or 'en'");
    }
    return language;
  }

  private static String webhook(JsonObject body) {
    String url = JsonBodies.string(body, "webhookUrl", false, 2000);
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return url;
      }
    } catch (java.net.URISyntaxException e) {
      // falls through
    }
    throw ApiException.invalidField("webhookUrl", "must be an http(s) URL");
  }
}
