package dev.vigia.dashboard.web;

import dev.vigia.common.OrgId;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Handlers that go first in a route's chain: {@link #org()} checks the {@code :org} path
 * parameter, then {@link #user()}, {@link #userOrKey()} or {@link #admin()} find the
 * {@link Caller} (401 when there is none, 403 when it may not call this route) and check the CSRF
 * token of a cookie-authenticated state change. Routes read the caller with {@link #caller}.
 */
public final class Authenticator {

  public static final String SESSION_COOKIE = "vigia_session";
  public static final String XSRF_COOKIE = "XSRF-TOKEN";
  public static final String XSRF_HEADER = "X-XSRF-TOKEN";
  /** The header name the old Django dashboard sent its CSRF token in. */
  public static final String LEGACY_CSRF_HEADER = "X-CSRFToken";
  public static final String API_KEY_HEADER = "X-Api-Key";

  private static final String CALLER = "vigia.caller";
  private static final String LOGIN = "vigia.login";
  private static final Set<HttpMethod> STATE_CHANGING =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final AccountStore accounts;
  private final WebSessions sessions;

  public Authenticator(AccountStore accounts, WebSessions sessions) {
    this.accounts = accounts;
    this.sessions = sessions;
  }

  public static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** 400 unless {@code :org} is a valid org id; runs before anything reads it. */
  public Handler<RoutingContext> org() {
    return ctx -> {
      String org = ctx.pathParam("org");
      if (!OrgId.isValid(org)) {
        ctx.fail(ApiException.invalidOrg());
        return;
      }
      ctx.next();
    };
  }

  /** A logged-in person (any role). */
  public Handler<RoutingContext> user() {
    return chain(false, false, false);
  }

  /** A logged-in person; the CSRF token may also come as the old {@code X-CSRFToken}. */
  public Handler<RoutingContext> userWithLegacyCsrf() {
    return chain(false, false, true);
  }

  /** A logged-in person or an API key. */
  public Handler<RoutingContext> userOrKey() {
    return chain(true, false, false);
  }

  /** A logged-in admin. */
  public Handler<RoutingContext> admin() {
    return chain(false, true, false);
  }

  private Handler<RoutingContext> chain(boolean keysAllowed, boolean adminOnly, boolean legacyCsrf) {
    return ctx -> resolve(ctx, legacyCsrf).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      Caller caller = result.result();
      if (caller.isKey() && !keysAllowed) {
        ctx.fail(ApiException.forbidden(
            "API keys may only use the session endpoints of their organization; log in instead"));
        return;
      }
      if (adminOnly && !caller.isAdmin()) {
        ctx.fail(ApiException.forbidden("only an admin may do this"));
        return;
      }
      ctx.put(CALLER, caller);
      ctx.next();
    });
  }

  private Future<Caller> resolve(RoutingContext ctx, boolean legacyCsrf) {
    String key = ctx.request().getHeader(API_KEY_HEADER);
    if (key != null) {
      // a key cannot be sent by a browser across sites without a preflight: no CSRF token needed
      return byKey(key);
    }
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    return sessions.find(cookie == null ? null : cookie.getValue()).compose(session -> {
      if (session.isEmpty()) {
        return Future.failedFuture(ApiException.unauthenticated());
      }
      if (STATE_CHANGING.contains(ctx.request().method())) {
        String sent = ctx.request().getHeader(XSRF_HEADER);
        if (sent == null && legacyCsrf) {
          sent = ctx.request().getHeader(LEGACY_CSRF_HEADER);
        }
        if (!sameToken(sent, session.get().xsrfToken())) {
          return Future.failedFuture(new ApiException(403, "csrf",
              "missing or wrong X-XSRF-TOKEN header: send the value of the XSRF-TOKEN cookie"));
        }
      }
      ctx.put(LOGIN, session.get().id());
      return callerOf(session.get());
    });
  }

  /** The login (web session id) a cookie-authenticated request rode on; null for a key. */
  public static String loginId(RoutingContext ctx) {
    return ctx.get(LOGIN);
  }

  /** The caller holding API key {@code key} (for a long-lived read-only connection); 401 if none. */
  public Future<Caller> byKey(String key) {
    return byKeyHash(ApiKeys.hash(key));
  }

  /** As {@link #byKey}, from the key's hash (what a bridge ticket remembers, never the key). */
  public Future<Caller> byKeyHash(String hash) {
    return accounts.findApiKeyByHash(hash).compose(found -> found
        .map(k -> Future.succeededFuture(Caller.of(k)))
        .orElseGet(() -> Future.failedFuture(new ApiException(401, "unauthenticated",
            "this API key is not valid (revoked, or its organization was deleted)"))));
  }

  /** The person logged in with {@code sessionId}, if that login is still live; 401 if not. */
  public Future<Caller> byLogin(String sessionId) {
    return sessions.find(sessionId).compose(session -> session.isEmpty()
        ? Future.failedFuture(ApiException.unauthenticated()) : callerOf(session.get()));
  }

  private Future<Caller> callerOf(WebSessions.WebSession session) {
    return accounts.findUser(session.username()).compose(user -> {
      if (user.isEmpty()) {
        // the user is gone: so is the login (a failure to remove it is the next request's 401)
        return sessions.remove(session.id()).transform(ignored ->
            Future.failedFuture(ApiException.unauthenticated()));
      }
      return Future.succeededFuture(Caller.of(user.get()));
    });
  }

  private static boolean sameToken(String sent, String expected) {
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
