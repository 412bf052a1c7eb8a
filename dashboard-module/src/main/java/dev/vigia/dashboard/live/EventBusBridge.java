package dev.vigia.dashboard.live;

import dev.vigia.dashboard.account.ApiKeys;
import dev.vigia.dashboard.web.ApiException;
import dev.vigia.dashboard.web.Authenticator;
import dev.vigia.dashboard.web.Caller;
import dev.vigia.dashboard.web.JsonResponses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus} for subscribers (DESIGN §5): outbound only,
 * and only {@code vigia.session.state.<org>} of the orgs of whoever opened the socket. A socket
 * is opened with the session cookie (same origin), an {@code X-Api-Key} header, or a single-use
 * ticket from {@code POST /api/eventbus/ticket} ({@code /eventbus?ticket=…}) for clients that
 * cannot send headers. A long-lived API key in the URL is refused: proxies keep URLs in logs.
 */
public final class EventBusBridge {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  public static final String PATH = "/eventbus";
  public static final String TICKET_PATH = "/api/eventbus/ticket";
  public static final String TICKET_PARAM = "ticket";
  private static final String SESSION_ID = "vigia.bridge.session";

  private final Vertx vertx;
  private final Authenticator auth;
  private final OpenStreams streams;
  private final LiveFeed feed;
  private final BridgeTickets tickets;

  public EventBusBridge(Vertx vertx, Authenticator auth, OpenStreams streams, LiveFeed feed,
      BridgeTickets tickets) {
    this.vertx = vertx;
    this.auth = auth;
    this.streams = streams;
    this.feed = feed;
    this.tickets = tickets;
  }

  public void mount(Router router) {
    router.post(TICKET_PATH).handler(auth.userOrKey()).handler(this::issueTicket);
    SockJSHandler sockJs = SockJSHandler.create(vertx,
        new SockJSHandlerOptions().setInsertJSESSIONID(false));
    router.route(PATH + "/*").handler(this::beforeSockJs);
    router.route(PATH + "/*").subRouter(sockJs.socketHandler(this::opened));
  }

  /** {@code {ticket, expiresAt}}: opens one socket as the caller, within 30 s. */
  private void issueTicket(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    BridgeTickets.Issued issued = caller.isKey()
        ? tickets.issue(ApiKeys.hash(ctx.request().getHeader(Authenticator.API_KEY_HEADER)), null)
        : tickets.issue(null, Authenticator.loginId(ctx));
    JsonResponses.send(ctx, 201, new JsonObject().put("ticket", issued.value())
        .put("expiresAt", issued.expiresAt().toString()));
  }

  /**
   * Refuses a key in the URL before SockJS answers anything, and notes the session cookie (SockJS
   * hides cookies from the socket).
   */
  private void beforeSockJs(RoutingContext ctx) {
    if (ctx.queryParams().contains("apiKey")) {
      ctx.fail(ApiException.badRequest("api_key_in_url", "an API key never travels in a URL:"
          + " send it as the X-Api-Key header, or get a single-use ticket from POST "
          + TICKET_PATH + " and open " + PATH + "?ticket=<ticket>"));
      return;
    }
    Cookie cookie = ctx.request().getCookie(Authenticator.SESSION_COOKIE);
    if (cookie != null) {
      ctx.put(SESSION_ID, cookie.getValue());
    }
    ctx.next();
  }

  private void opened(SockJSSocket socket) {
    // frames wait until the opener is known
    socket.pause();
    opener(socket).onComplete(found -> {
      if (found.failed()) {
        LOG.debug("refused a bridge socket: {}", found.cause().getMessage());
        socket.close();
        return;
      }
      OpenStreams.Opener opener = found.result();
      BridgeSocket bridge = new BridgeSocket(vertx, socket, opener.caller(), feed);
      // revoking the key, changing the user or logging out closes the socket
      OpenStreams.Registration registration = streams.add(opener, bridge::close);
      bridge.onClose(registration::remove);
      socket.resume();
    });
  }

  private Future<OpenStreams.Opener> opener(SockJSSocket socket) {
    String ticketValue = queryParam(socket.uri(), TICKET_PARAM);
    if (ticketValue != null) {
      return tickets.take(ticketValue)
          .map(t -> t.keyHash() != null
              ? auth.byKeyHash(t.keyHash()).map(c -> new OpenStreams.Opener(c, null))
              : auth.byLogin(t.loginId()).map(c -> new OpenStreams.Opener(c, t.loginId())))
          .orElseGet(() -> Future.failedFuture(new ApiException(401, "bad_ticket",
              "this ticket is unknown, used or expired: get a new one")));
    }
    MultiMap headers = socket.headers();
    String key = headers == null ? null : headers.get(Authenticator.API_KEY_HEADER);
    if (key != null) {
      return auth.byKey(key).map(c -> new OpenStreams.Opener(c, null));
    }
    if (!sameOrigin(headers)) {
      // a page of another site must not ride on the user's cookie
      return Future.failedFuture(new ApiException(403, "cross_origin", "cross-origin socket"));
    }
    String session = socket.routingContext() == null ? null
        : socket.routingContext().get(SESSION_ID);
    return auth.byLogin(session).map(c -> new OpenStreams.Opener(c, session));
  }

  private static boolean sameOrigin(MultiMap headers) {
    String origin = headers == null ? null : headers.get("Origin");
    if (origin == null) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      String host = headers.get("Host");
      String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host != null && (host.equalsIgnoreCase(authority)
          || host.equalsIgnoreCase(uri.getHost() + ":" + defaultPort(uri.getScheme())));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  private static String queryParam(String uri, String name) {
    if (uri == null || uri.indexOf('?') < 0) {
      return null;
    }
    for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
