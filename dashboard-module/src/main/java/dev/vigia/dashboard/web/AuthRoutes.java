package dev.vigia.dashboard.web;

import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.PasswordHasher;
import dev.vigia.dashboard.account.User;
import dev.vigia.dashboard.live.OpenStreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /auth/login}, {@code POST /auth/logout}, {@code GET /api/me}. Failed and refused
 * logins are logged with the user name and the client address (never the password), so a person
 * can see a guessing attack and where it comes from.
 */
public final class AuthRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

  private final Vertx vertx;
  private final AccountStore accounts;
  private final PasswordHasher hasher;
  private final WebSessions sessions;
  private final LoginThrottle throttle;
  private final Authenticator auth;
  private final OpenStreams streams;

  public AuthRoutes(Vertx vertx, AccountStore accounts, PasswordHasher hasher,
      WebSessions sessions, LoginThrottle throttle, Authenticator auth, OpenStreams streams) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.hasher = hasher;
    this.sessions = sessions;
    this.throttle = throttle;
    this.auth = auth;
    this.streams = streams;
  }

  public void mount(Router router) {
    router.post("/auth/login").handler(this::login);
    router.post("/auth/logout").handler(auth.user()).handler(this::logout);
    router.get("/api/me").handler(auth.user()).handler(this::me);
  }

  private void login(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String username = JsonBodies.string(body, "username", true, 64);
    String password = JsonBodies.string(body, "password", true, 1024);
    String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    throttle.attempt(username, address)
        .compose(wait -> {
          if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            LOG.warn("login refused for user '{}' from {}: {} failed logins in {} min; next try in"
                + " {} s", username, address, LoginThrottle.MAX_FAILURES,
                LoginThrottle.WINDOW.toMinutes(), seconds);
            ctx.put(ErrorHandler.RETRY_AFTER, seconds);
            return Future.failedFuture(new ApiException(429, "throttled", "too many failed logins"
                + " for this user; try again in " + Math.max(1, (seconds + 59) / 60)
                + " minute(s)"));
          }
          return accounts.findUser(username).compose(user -> vertx.executeBlocking(() ->
              user.isPresent() ? hasher.verify(password, user.get().passwordHash())
                  : hasher.verifyNobody(password), false)
              .compose(ok -> ok ? Future.succeededFuture(user.get())
                  : Future.failedFuture(new ApiException(401, "bad_credentials",
                      "wrong username or password"))))
              .onFailure(err -> {
                if (err instanceof ApiException api && api.code().equals("bad_credentials")) {
                  LOG.warn("failed login for user '{}' from {}", username, address);
                }
              });
        })
        .compose(user -> {
          Cookie old = ctx.request().getCookie(Authenticator.SESSION_COOKIE);
          return throttle.succeeded(username, address)
              .compose(v -> old == null ? Future.<Void>succeededFuture() : sessions.remove(old.getValue()))
              .compose(v -> sessions.create(user.username()))
              .map(session -> {
                LOG.info("user '{}' logged in from {}", username, address);
                boolean secure = isSecure(ctx);
                ctx.response().addCookie(Cookie.cookie(Authenticator.SESSION_COOKIE, session.id())
                    .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                    .setSecure(secure));
                // readable by the page's script, which echoes it in X-XSRF-TOKEN
                ctx.response().addCookie(Cookie.cookie(Authenticator.XSRF_COOKIE,
                    session.xsrfToken()).setPath("/").setHttpOnly(false)
                    .setSameSite(CookieSameSite.STRICT).setSecure(secure));
                return user;
              });
        })
        .onSuccess(user -> JsonResponses.send(ctx, 200, me(user)))
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    String login = Authenticator.loginId(ctx);
    // the streams and bridge sockets this login opened end with it
    streams.closeLogin(login);
    boolean secure = isSecure(ctx);
    for (String name : new String[] {Authenticator.SESSION_COOKIE, Authenticator.XSRF_COOKIE}) {
      ctx.response().addCookie(Cookie.cookie(name, "").setPath("/").setMaxAge(0)
          .setHttpOnly(name.equals(Authenticator.SESSION_COOKIE))
          .setSameSite(CookieSameSite.STRICT).setSecure(secure));
    }
    // answered once the login is gone: a 204 means the cookie no longer logs anyone in
    sessions.remove(login).onSuccess(v -> JsonResponses.noContent(ctx)).onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    JsonResponses.send(ctx, 200, new JsonObject().put("username", caller.username())
        .put("role", caller.role()).put("orgs", caller.orgs()));
  }

  private static JsonObject me(User user) {
    return new JsonObject().put("username", user.username()).put("role", user.role())
        .put("orgs", user.orgs());
  }

  /** TLS here, or at a proxy that says so. */
  static boolean isSecure(RoutingContext ctx) {
    return ctx.request().isSSL()
        || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
  }
}
