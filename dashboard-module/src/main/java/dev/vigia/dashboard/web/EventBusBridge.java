package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.session.StateChange;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus} for subscribers: outbound only, and only
 * {@code vigia.session.state.<org>} of the orgs of whoever opened the socket (session cookie, or
 * an API key as {@code X-Api-Key} or {@code ?apiKey=}). The address regex keeps the bridge to
 * state changes; the per-socket checks below keep each tenant to its own orgs. Nothing inbound.
 */
public final class EventBusBridge {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  public static final String PATH = "/eventbus";
  public static final String API_KEY_PARAM = "apiKey";
  private static final String PREFIX = StateChange.ADDRESS + ".";
  private static final String SESSION_ID = "vigia.bridge.session";

  private final Vertx vertx;
  private final Authenticator auth;
  private final OpenStreams streams;
  /** Who opened each live socket, known once {@code SOCKET_CREATED} is accepted. */
  private final Map<SockJSSocket, Caller> callers = new ConcurrentHashMap<>();
  private final Map<SockJSSocket, OpenStreams.Registration> registrations =
      new ConcurrentHashMap<>();

  public EventBusBridge(Vertx vertx, Authenticator auth, OpenStreams streams) {
    this.vertx = vertx;
    this.auth = auth;
    this.streams = streams;
  }

  public void mount(Router router) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions()
            .setAddressRegex("vigia\\.session\\.state\\.[A-Za-z0-9_-]{1,64}"))
        .setMaxHandlersPerSocket(1000);
    SockJSHandler sockJs = SockJSHandler.create(vertx,
        new SockJSHandlerOptions().setInsertJSESSIONID(false));
    // SockJS strips cookies from the request before the bridge sees it: note the session first
    router.route(PATH + "/*").handler(ctx -> {
      Cookie cookie = ctx.request().getCookie(Authenticator.SESSION_COOKIE);
      if (cookie != null) {
        ctx.put(SESSION_ID, cookie.getValue());
      }
      ctx.next();
    });
    router.route(PATH + "/*").subRouter(sockJs.bridge(options, this::onEvent));
  }

  /** How many sockets are open and authenticated: for tests and logs. */
  public int openSockets() {
    return callers.size();
  }

  private void onEvent(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> authenticate(event);
      case SOCKET_CLOSED -> {
        forget(event.socket());
        event.complete(true);
      }
      case REGISTER -> event.complete(mayFollow(event.socket(), address(event)));
      case RECEIVE -> receive(event);
      case UNREGISTER, SOCKET_IDLE, SOCKET_PING, SOCKET_ERROR -> event.complete(true);
      // SEND and PUBLISH: subscribers only listen; nothing reaches the bus from outside
      default -> event.complete(false);
    }
  }

  private void authenticate(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    MultiMap headers = socket.headers();
    String key = headers == null ? null : headers.get(Authenticator.API_KEY_HEADER);
    if (key == null) {
      key = queryParam(socket.uri(), API_KEY_PARAM);
    }
    String session = null;
    if (key == null) {
      if (!sameOrigin(headers)) {
        // a page of another site must not ride on the user's cookie
        event.complete(false);
        return;
      }
      session = sessionCookie(socket);
    }
    auth.reader(key, session).onComplete(found -> {
      if (found.failed()) {
        event.complete(false);
        return;
      }
      callers.put(socket, found.result());
      // revoking the key or changing the user closes the socket: its caller was decided here
      registrations.put(socket, streams.add(found.result(), () -> {
        forget(socket);
        socket.close();
      }));
      event.complete(true);
    });
  }

  private void forget(SockJSSocket socket) {
    callers.remove(socket);
    OpenStreams.Registration registration = registrations.remove(socket);
    if (registration != null) {
      registration.remove();
    }
  }

  private boolean mayFollow(SockJSSocket socket, String address) {
    Caller caller = callers.get(socket);
    String org = orgOf(address);
    return caller != null && org != null && caller.mayAccess(org);
  }

  private void receive(BridgeEvent event) {
    Caller caller = callers.get(event.socket());
    String address = address(event);
    if (caller == null || !mayFollow(event.socket(), address)) {
      event.complete(false);
      return;
    }
    JsonObject raw = event.getRawMessage();
    if (caller.isKey() && raw != null && raw.getValue("body") instanceof JsonObject body) {
      // machines never see a QR or a pairing code: the same rule as the SSE stream's
      StateChange change;
      try {
        change = Json.fromJson(body, StateChange.class);
      } catch (RuntimeException e) {
        LOG.warn("not forwarding a state change that cannot be read on {}", address);
        event.complete(false);
        return;
      }
      event.setRawMessage(raw.copy().put("body", Json.toJson(change.withoutSecrets())));
    }
    event.complete(true);
  }

  private static String address(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    return raw == null ? null : raw.getString("address");
  }

  /** The org of {@code vigia.session.state.<org>}, or null for any other address. */
  static String orgOf(String address) {
    if (address == null || !address.startsWith(PREFIX)) {
      return null;
    }
    String org = address.substring(PREFIX.length());
    return OrgId.isValid(org) ? org : null;
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
      LOG.debug("refusing a bridge socket with an unreadable Origin");
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  /** The session noted at the handshake (SockJS hides cookies from the socket's headers). */
  private static String sessionCookie(SockJSSocket socket) {
    RoutingContext ctx = socket.routingContext();
    String noted = ctx == null ? null : ctx.get(SESSION_ID);
    return noted != null ? noted : cookie(socket.headers(), Authenticator.SESSION_COOKIE);
  }

  private static String cookie(MultiMap headers, String name) {
    if (headers == null) {
      return null;
    }
    for (String header : headers.getAll("Cookie")) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static String queryParam(String uri, String name) {
    if (uri == null || uri.indexOf('?') < 0) {
      return null;
    }
    for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
