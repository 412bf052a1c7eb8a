package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.gateway.engine.CallerContext;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.common.logging.Masked;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real engine (DESIGN §7): one supervised Node.js process running the pinned
 * {@code @whiskeysockets/baileys}, many orgs multiplexed over JSON lines. Baileys' auth-state
 * reads and writes come back to the JVM as requests and are answered from the session run's
 * {@link RunAuthState} (reads from the store, writes through the run's writer), as BufferJSON
 * text, so the Node side keeps no credentials of its own.
 */
public final class BaileysEngine implements Engine {

  public static final String NAME = "baileys";

  private static final Logger LOG = LoggerFactory.getLogger(BaileysEngine.class);

  private final Vertx vertx;
  private final Clock clock;
  private final BaileysProcess process;
  private final AtomicLong nextSid = new AtomicLong(1);
  private final Map<Long, BaileysSession> sessions = new ConcurrentHashMap<>();
  /** Sessions told to close whose WhatsApp socket Node has not yet reported closed. */
  private final Map<Long, Promise<Void>> closing = new ConcurrentHashMap<>();

  /** Bound on waiting for Node's "closed" (Node gives the socket 2 s, then drops it). */
  static final long CLOSE_WAIT_MS = 3_000;

  /**
   * @param workDir where the bridge and its {@code node_modules} live
   * @param node the {@code node} command
   * @param wsUrl Baileys' WebSocket URL, or null for WhatsApp's own
   */
  public BaileysEngine(Vertx vertx, Path workDir, String node, String wsUrl, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.process = new BaileysProcess(vertx, workDir, node, wsUrl, this::onMessage, this::onStopped);
    process.start();
  }

  /** The app's engine: working folder {@code <dataDir>/engine/baileys}. */
  public static BaileysEngine create(Vertx vertx, VigiaConfig config, Clock clock) {
    BaileysEngine engine = new BaileysEngine(vertx,
        config.dataPath().resolve("engine").resolve(NAME), config.node(), config.baileysWsUrl(),
        clock);
    ClusterSettings cluster = config.cluster();
    if (cluster.enabled()) {
      // Node's sockets close before this node's leases can end (at least one renewal of slack)
      engine.process.watchdog(cluster.leaseMillis() - cluster.renewMillis()
          - cluster.stopMarginMillis());
    }
    return engine;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> ready() {
    return process.running();
  }

  @Override
  public EngineSession open(RunAuthState auth, EngineListener listener) {
    long sid = nextSid.getAndIncrement();
    BaileysSession session = new BaileysSession(this, sid, auth, listener,
        CallerContext.of(vertx));
    sessions.put(sid, session);
    return session;
  }

  /** Baileys' libsignal keys a contact's sessions by {@code <user>.<device>}. */
  @Override
  public KeyRange contactSessions(String contact) {
    return new KeyRange("session", contact + ".");
  }

  /**
   * Closes every session, stops the Node process and starts a new one at once (no backoff);
   * completes when the new process says it is ready.
   */
  @Override
  public Future<Void> restart() {
    List<BaileysSession> all = new ArrayList<>(sessions.values());
    all.forEach(BaileysSession::close);
    return process.restart();
  }

  @Override
  public Future<Void> close() {
    List<BaileysSession> all = new ArrayList<>(sessions.values());
    all.forEach(BaileysSession::close);
    return process.stop();
  }

  /** The Node process now running, if any: for tests and diagnostics. */
  public Optional<ProcessHandle> processHandle() {
    return process.handle();
  }

  /** Writes one raw line to Node: tests prove that bad input does not break the bridge. */
  void sendRawLine(String line) {
    process.sendLine(line);
  }

  void send(JsonObject message) {
    process.send(message);
  }

  Future<Void> running() {
    return process.running();
  }

  Vertx vertx() {
    return vertx;
  }

  Clock clock() {
    return clock;
  }

  void forget(long sid) {
    sessions.remove(sid);
  }

  /**
   * Tells Node to close session {@code sid}: completes once Node reports its WhatsApp socket
   * closed (a hand-over lets the lease go only then, so the next owner's login cannot meet this
   * one at WhatsApp: a 440), when the process stops, or after {@link #CLOSE_WAIT_MS}.
   */
  Future<Void> close(long sid) {
    if (!process.attached()) {
      return Future.succeededFuture(); // no process, no socket
    }
    Promise<Void> closed = Promise.promise();
    closing.put(sid, closed);
    long timer = vertx.setTimer(CLOSE_WAIT_MS, t -> {
      if (closing.remove(sid, closed)) {
        LOG.warn("the Baileys bridge did not confirm a closed socket in {} ms", CLOSE_WAIT_MS);
        closed.tryComplete();
      }
    });
    send(new JsonObject().put("op", "close").put("sid", sid));
    return closed.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  // ---- from Node (on the supervisor's context) ----

  private void onMessage(JsonObject m) {
    String op = m.getString("op", "");
    Long sid = m.getValue("sid") instanceof Number n ? n.longValue() : null;
    BaileysSession session = sid == null ? null : sessions.get(sid);
    switch (op) {
      case "creds.read", "creds.write", "keys.get", "keys.set" -> answer(m, session);
      case "closed" -> {
        Promise<Void> closed = sid == null ? null : closing.remove(sid);
        if (closed != null) {
          closed.tryComplete();
        }
      }
      case "error" -> {
        LOG.debug("the Baileys bridge refused a request: {}", Masked.in(m.getString("error")));
        if (session != null) {
          session.onNodeError(m.getString("request"), m.getString("id"), m.getString("error"));
        }
      }
      default -> {
        if (session != null) {
          session.onNodeEvent(op, m);
        }
      }
    }
  }

  /**
   * Answers one of Baileys' auth-state requests from the session run's auth state. A request of
   * a closed session is refused here; one that passed this check while the session was being
   * cleared is refused by the store, because the clear revoked the run's writer.
   */
  private void answer(JsonObject m, BaileysSession session) {
    Object req = m.getValue("req");
    Future<Object> result;
    if (session == null || session.isClosed()) {
      result = Future.failedFuture("session closed");
    } else {
      result = storeCall(m, session).recover(e -> Future.failedFuture(e.getMessage()));
    }
    result.onComplete(ar -> {
      JsonObject reply = new JsonObject().put("op", "reply").put("req", req).put("ok", ar.succeeded());
      if (ar.succeeded()) {
        reply.put("value", ar.result());
      } else {
        reply.put("error", String.valueOf(ar.cause().getMessage()));
      }
      process.send(reply);
    });
  }

  private Future<Object> storeCall(JsonObject m, BaileysSession session) {
    RunAuthState auth = session.auth();
    try {
      switch (m.getString("op")) {
        case "creds.read":
          return auth.readCreds().map(creds -> creds == null ? null : creds.encode());
        case "creds.write":
          return auth.writeCreds(new JsonObject(m.getString("creds"))).map(v -> null);
        case "keys.get": {
          List<String> ids = new ArrayList<>();
          for (Object id : m.getJsonArray("ids", new JsonArray())) {
            ids.add(String.valueOf(id));
          }
          return auth.getKeys(m.getString("type"), ids).map(found -> {
            JsonObject texts = new JsonObject();
            found.forEach((id, text) -> texts.put(id, text));
            return texts;
          });
        }
        case "keys.set": {
          Map<String, Map<String, String>> batch = new LinkedHashMap<>();
          JsonObject data = m.getJsonObject("data", new JsonObject());
          for (String type : data.fieldNames()) {
            Map<String, String> values = new LinkedHashMap<>();
            JsonObject byId = data.getJsonObject(type);
            for (String id : byId.fieldNames()) {
              values.put(id, byId.getString(id));
            }
            batch.put(type, values);
          }
          return auth.setKeys(batch).map(v -> null);
        }
        default:
          return Future.failedFuture("unknown request");
      }
    } catch (RuntimeException e) {
      // malformed request from Node: refuse it, never throw on the event loop
      return Future.failedFuture(e);
    }
  }

  private void onStopped() {
    // the process and every socket it held are gone
    List<Promise<Void>> waiting = new ArrayList<>(closing.values());
    closing.clear();
    waiting.forEach(Promise::tryComplete);
    List<BaileysSession> all = new ArrayList<>(sessions.values());
    sessions.clear();
    all.forEach(BaileysSession::processStopped);
  }
}
