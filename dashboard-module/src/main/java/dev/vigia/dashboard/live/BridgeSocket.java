package dev.vigia.dashboard.live;

import dev.vigia.common.OrgId;
import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.web.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open bridge socket, speaking the frames of Vert.x's SockJS event-bus bridge (what
 * {@code @vertx/eventbus-bridge-client.js} sends and expects): {@code register} and
 * {@code unregister} an address, {@code ping}; the server sends {@code rec} and {@code err}.
 * Only {@code vigia.session.state.<org>} of the opener's orgs can be registered; nothing goes
 * from a socket onto the bus. A socket silent for {@link #PING_TIMEOUT} is closed, as Vert.x's
 * bridge does.
 */
final class BridgeSocket {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSocket.class);
  /** The bridge's default: clients ping every 5 s. */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_REGISTRATIONS = 1000;
  private static final String PREFIX = StateChange.ADDRESS + ".";

  private final Vertx vertx;
  private final SockJSSocket socket;
  private final Caller caller;
  private final LiveFeed feed;
  private final Map<String, LiveFeed.Subscription> registered = new HashMap<>();
  private final long pingTimer;
  private long lastPing = System.nanoTime();
  private boolean closed;
  private Runnable onClose = () -> { };

  BridgeSocket(Vertx vertx, SockJSSocket socket, Caller caller, LiveFeed feed) {
    this.vertx = vertx;
    this.socket = socket;
    this.caller = caller;
    this.feed = feed;
    socket.handler(this::frame);
    socket.closeHandler(v -> cleanUp());
    // a client that drops its connection is an ordinary event for a bridge, not a server error
    socket.exceptionHandler(err -> {
      LOG.debug("bridge socket ended abruptly: {}", err.toString());
      cleanUp();
    });
    pingTimer = vertx.setPeriodic(PING_TIMEOUT.toMillis(), id -> {
      if (System.nanoTime() - lastPing >= PING_TIMEOUT.toNanos()) {
        close();
      }
    });
  }

  /** Runs once when the socket is gone, whoever closed it. */
  void onClose(Runnable action) {
    this.onClose = action;
  }

  /** Closes the socket (revoked credential, logout, silence, a client that does not read). */
  void close() {
    cleanUp();
    socket.close();
  }

  private void frame(Buffer data) {
    JsonObject frame;
    try {
      frame = new JsonObject(data.toString());
    } catch (DecodeException | ClassCastException e) {
      error(null, "invalid_json", "a frame must be a JSON object");
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : null;
    String address = frame.getValue("address") instanceof String a ? a : null;
    if ("ping".equals(type)) {
      lastPing = System.nanoTime();
    } else if ("register".equals(type)) {
      register(address);
    } else if ("unregister".equals(type)) {
      LiveFeed.Subscription subscription = address == null ? null : registered.remove(address);
      if (subscription != null) {
        subscription.cancel();
      }
    } else if ("send".equals(type) || "publish".equals(type)) {
      error(address, "access_denied", "this bridge only delivers state changes: nothing is sent"
          + " or published through it");
    } else {
      error(address, "invalid_type", "a frame's type is register, unregister or ping");
    }
  }

  private void register(String address) {
    String org = orgOf(address);
    if (org == null || !caller.mayAccess(org)) {
      error(address, "access_denied", "only vigia.session.state.<org> of your own organizations");
    } else if (registered.containsKey(address)) {
      error(address, "address_already_registered", "this socket already receives " + address);
    } else if (registered.size() >= MAX_REGISTRATIONS) {
      error(address, "max_handlers_reached", "one socket may register " + MAX_REGISTRATIONS
          + " addresses");
    } else if (!closed) {
      registered.put(address, feed.subscribeAtOnce(caller, List.of(org), this::deliver));
    }
  }

  /**
   * Each change is a frame of its own (the bridge's clients read one message per frame), so the
   * bridge takes them at once rather than in batches.
   */
  private void deliver(LiveBatch batch) {
    if (closed) {
      return;
    }
    if (socket.writeQueueFull()) {
      // a client that does not read loses the socket; it reconnects and reads the state anew
      LOG.info("closing a bridge socket whose client does not keep up");
      close();
      return;
    }
    for (LiveChange change : batch.changes()) {
      socket.write(change.bridgeFrame());
    }
  }

  /** An {@code err} frame; with the address, the client hands it to that address's handlers. */
  private void error(String address, String body, String message) {
    JsonObject err = new JsonObject().put("type", "err").put("body", body)
        .put("failureType", body).put("message", message);
    if (address != null && address.length() <= 200) {
      err.put("address", address);
    }
    socket.write(err.encode());
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(pingTimer);
    registered.values().forEach(LiveFeed.Subscription::cancel);
    registered.clear();
    onClose.run();
  }

  /** The org of {@code vigia.session.state.<org>}, or null for any other address. */
  static String orgOf(String address) {
    if (address == null || !address.startsWith(PREFIX)) {
      return null;
    }
    String org = address.substring(PREFIX.length());
    return OrgId.isValid(org) ? org : null;
  }
}
