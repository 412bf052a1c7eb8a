package dev.vigia.dashboard.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.SessionView;
import dev.vigia.dashboard.GatewayClient;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.qr.QrSvg;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session endpoints (DESIGN §5): a person of the org, an admin, or the org's API key. A QR
 * payload is a secret of its org: lists never carry it, API keys never see it.
 */
public final class SessionRoutes {

  public static final String CLEARED = "Sesión limpiada correctamente";
  public static final String NOT_CLEARED = "No se pudo limpiar la sesión";

  private final AccountStore accounts;
  private final GatewayClient gateway;
  private final Authenticator auth;
  private final Clock clock;
  private final SessionAnswers answers = new SessionAnswers();

  public SessionRoutes(AccountStore accounts, GatewayClient gateway, Authenticator auth,
      Clock clock) {
    this.accounts = accounts;
    this.gateway = gateway;
    this.auth = auth;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/sessions").handler(auth.userOrKey()).handler(this::list);
    router.get("/api/sessions/:org").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::get));
    router.post("/api/sessions/:org/connect").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::connect));
    router.post("/api/sessions/:org/disconnect").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::disconnect));
    router.post("/api/sessions/:org/logout").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::logout));
    router.post("/api/sessions/:org/clear").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::clear));
    router.get("/api/sessions/:org/qr").handler(auth.org()).handler(auth.user())
        .handler(orgScoped(this::qr));
    router.get("/api/sessions/:org/qr.svg").handler(auth.org()).handler(auth.user())
        .handler(orgScoped(this::qrSvg));
    router.get("/api/sessions/:org/events").handler(auth.org()).handler(auth.userOrKey())
        .handler(orgScoped(this::events));
  }

  private interface OrgAction {
    void handle(RoutingContext ctx, Caller caller, String org);
  }

  private static io.vertx.core.Handler<RoutingContext> orgScoped(OrgAction action) {
    return ctx -> {
      Caller caller = Authenticator.caller(ctx);
      String org = ctx.pathParam("org");
      caller.requireAccess(org);
      action.handle(ctx, caller, org);
    };
  }

  private void list(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    Future.all(gateway.list(), accounts.listOrgs()).onSuccess(both -> {
      Map<String, SessionView> byOrg = new TreeMap<>();
      for (SessionView view : both.<java.util.List<SessionView>>resultAt(0)) {
        if (view != null && view.org() != null && caller.mayAccess(view.org())) {
          byOrg.put(view.org(), view.withoutSecrets());
        }
      }
      Map<String, String> names = new TreeMap<>();
      for (Org org : both.<java.util.List<Org>>resultAt(1)) {
        if (caller.mayAccess(org.id())) {
          byOrg.putIfAbsent(org.id(), stopped(org.id()));
          names.put(org.id(), org.name());
        }
      }
      JsonResponses.send(ctx, 200, Json.toBuffer(new Sessions(byOrg.values().stream()
          .map(v -> new Named(v, names.get(v.org()))).toList())));
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx, Caller caller, String org) {
    Future.all(viewReply(org), accounts.findOrg(org)).onSuccess(both -> {
      JsonObject reply = both.resultAt(0);
      if (reply == null) {
        ctx.fail(new IllegalStateException("the gateway answered a status without a view"));
        return;
      }
      String name = both.<java.util.Optional<Org>>resultAt(1).map(Org::name).orElse(null);
      JsonResponses.send(ctx, 200, answers.answer(org, reply, name, !caller.isKey(),
          () -> named(forCaller(caller, Json.fromJson(reply, SessionView.class)), name)
              .toBuffer()));
    }).onFailure(ctx::fail);
  }

  /** As {@link #view}, the gateway's reply not yet a record. */
  private Future<JsonObject> viewReply(String org) {
    return gateway.statusReply(org).recover(err -> {
      if (err instanceof ReplyException r && r.failureCode() == 404) {
        return accounts.findOrg(org).compose(found -> found.isPresent()
            ? Future.succeededFuture(Json.toJson(stopped(org))) : Future.failedFuture(err));
      }
      return Future.failedFuture(err);
    });
  }

  /** The answer of the list: written at once, without a map per view in between. */
  private record Sessions(List<Named> sessions) {}

  /** A view and, beside its fields, the org's name from the accounts (as {@link #named}). */
  private record Named(@JsonUnwrapped SessionView view, String name) {}

  /** The view with the org's name from the accounts, so a page can title it for people. */
  private static JsonObject named(SessionView view, String name) {
    JsonObject json = Json.toJson(view);
    return name == null ? json : json.put("name", name);
  }

  /** The gateway's view; an org it has never seen but the accounts know is {@code STOPPED}. */
  private Future<SessionView> view(String org) {
    return gateway.status(org).recover(err -> {
      if (err instanceof ReplyException r && r.failureCode() == 404) {
        return accounts.findOrg(org).compose(found -> found.isPresent()
            ? Future.succeededFuture(stopped(org)) : Future.failedFuture(err));
      }
      return Future.failedFuture(err);
    });
  }

  private void connect(RoutingContext ctx, Caller caller, String org) {
    JsonObject body = JsonBodies.object(ctx);
    String method = JsonBodies.string(body, "method", false, 32);
    if (method == null) {
      method = ConnectRequest.QR;
    }
    if (!method.equals(ConnectRequest.QR) && !method.equals(ConnectRequest.PAIRING_CODE)) {
      throw ApiException.invalidField("method", "must be 'qr' or 'pairing_code'");
    }
    String phone = JsonBodies.string(body, "phone", false, 32);
    if (method.equals(ConnectRequest.PAIRING_CODE)
        && (phone == null || !phone.matches("\\+?[0-9]{6,20}"))) {
      throw ApiException.invalidField("phone",
          "is required for a pairing code: the number in international format, digits only");
    }
    if (phone != null && !phone.matches("\\+?[0-9]{6,20}")) {
      throw ApiException.invalidField("phone", "must be digits only, in international format");
    }
    boolean takeover = JsonBodies.bool(body, "takeover", false);
    ConnectRequest request = new ConnectRequest(org, method,
        phone == null ? null : phone.replace("+", ""), takeover, caller.actor());
    accounts.findOrg(org)
        .compose(found -> found.isPresent() ? gateway.connect(request)
            : Future.failedFuture(ApiException.notFound("organization " + org
                + " does not exist: an admin creates it first (POST /api/orgs)")))
        .onSuccess(view -> JsonResponses.send(ctx, 202, forCaller(caller, view)))
        .onFailure(ctx::fail);
  }

  private void disconnect(RoutingContext ctx, Caller caller, String org) {
    gateway.disconnect(new DisconnectRequest(org, caller.actor()))
        .onSuccess(view -> JsonResponses.send(ctx, 200, forCaller(caller, view)))
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx, Caller caller, String org) {
    gateway.logout(new LogoutRequest(org, caller.actor(), "logout requested over HTTP"))
        .onSuccess(view -> JsonResponses.send(ctx, 200, forCaller(caller, view)))
        .onFailure(ctx::fail);
  }

  private void clear(RoutingContext ctx, Caller caller, String org) {
    clearAndAnswer(ctx, caller, org);
  }

  /**
   * Clears and answers the old server's JSON; shared with the old endpoints. Only an org the
   * accounts know: a clear of any other id would make the gateway create a session for it.
   */
  void clearAndAnswer(RoutingContext ctx, Caller caller, String org) {
    accounts.findOrg(org)
        .compose(found -> found.isPresent()
            ? gateway.clear(new ClearRequest(org, caller.actor(), "clear requested over HTTP"))
            : Future.failedFuture(new ApiException(404, "unknown_org", "organization " + org
                + " does not exist: nothing to clear")))
        .onSuccess(result -> JsonResponses.send(ctx, 200,
            new JsonObject().put("success", true).put("message", CLEARED)))
        .onFailure(err -> {
          ApiException api = ErrorHandler.toApi(err, 500);
          ErrorHandler.send(ctx, api.status(),
              new JsonObject().put("error", NOT_CLEARED).put("code", api.code()));
        });
  }

  private void qr(RoutingContext ctx, Caller caller, String org) {
    pendingQr(org).onSuccess(qr -> JsonResponses.send(ctx, 200, new JsonObject()
        .put("payload", qr.payload())
        .put("expiresAt", qr.expiresAt() == null ? null : qr.expiresAt().toString())))
        .onFailure(ctx::fail);
  }

  /** The pending QR drawn as SVG for the page's {@code <img>}; the payload stays out of the page. */
  private void qrSvg(RoutingContext ctx, Caller caller, String org) {
    pendingQr(org).map(qr -> QrSvg.render(qr.payload())).onSuccess(svg -> ctx.response()
        .putHeader("Content-Type", "image/svg+xml; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(svg))
        .onFailure(ctx::fail);
  }

  /** The org's QR while one is pending and fresh; a 404 {@code no_qr} otherwise. */
  private Future<SessionView.QrCode> pendingQr(String org) {
    return view(org).compose(view -> {
      SessionView.QrCode qr = view.qr();
      boolean pending = qr != null && qr.payload() != null
          && (view.state() == SessionState.QR_REQUIRED || view.state() == null)
          && (qr.expiresAt() == null || qr.expiresAt().isAfter(clock.instant()));
      return pending ? Future.succeededFuture(qr) : Future.failedFuture(new ApiException(404,
          "no_qr", "no QR code is pending for organization " + org + ": connect first"));
    });
  }

  private void events(RoutingContext ctx, Caller caller, String org) {
    int limit = JournalQuery.DEFAULT_LIMIT;
    String raw = ctx.queryParams().get("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > JournalQuery.MAX_LIMIT) {
        throw ApiException.invalidField("limit",
            "must be a whole number from 1 to " + JournalQuery.MAX_LIMIT);
      }
    }
    gateway.journal(new JournalQuery(org, limit))
        .onSuccess(page -> JsonResponses.send(ctx, 200, new JsonObject().put("entries",
            new JsonArray(page == null || page.entries() == null ? java.util.List.of()
                : page.entries().stream().map(Json::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  /** People of the org may see its QR; API keys are machines and never do. */
  private static SessionView forCaller(Caller caller, SessionView view) {
    return caller.isKey() ? view.withoutSecrets() : view;
  }

  private static SessionView stopped(String org) {
    return new SessionView(org, SessionState.STOPPED, null, null, null, null, null, null, null, null,
        null);
  }
}
