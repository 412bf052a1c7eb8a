package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process' link to a {@link SharedWhatsAppServer}: the devices of its simulated sessions
 * live there. One TCP connection, opened on first use and again after it is lost; while it is
 * lost, every session of this process is dropped (connection lost), as they would be by
 * WhatsApp. Keep-alive pings at a quarter of the server's silence limit.
 */
final class SharedWhatsAppClient implements Devices {

  private static final Logger LOG = LoggerFactory.getLogger(SharedWhatsAppClient.class);

  private static final long ANSWER_MILLIS = 10_000;

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final NetClient client;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Promise<JsonObject>> waiting = new ConcurrentHashMap<>();
  private final Map<String, SimulatedWhatsApp.Connection> byConn = new ConcurrentHashMap<>();
  private final Map<SimulatedWhatsApp.Connection, String> connOf = new ConcurrentHashMap<>();
  private Future<NetSocket> socket;
  private volatile long pingTimer = -1;

  SharedWhatsAppClient(Vertx vertx, String hostPort) {
    this.vertx = vertx;
    int colon = hostPort.lastIndexOf(':');
    this.host = hostPort.substring(0, colon);
    this.port = Integer.parseInt(hostPort.substring(colon + 1));
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
  }

  @Override
  public Future<String> link(String phoneNumber) {
    return ask(new JsonObject().put("op", "link").put("phone", phoneNumber))
        .map(m -> m.getString("jid"));
  }

  @Override
  public Future<Boolean> login(String deviceJid, SimulatedWhatsApp.Connection connection) {
    String conn = connOf.computeIfAbsent(connection, c -> {
      String id = "c" + ids.incrementAndGet();
      byConn.put(id, c);
      return id;
    });
    return ask(new JsonObject().put("op", "login").put("jid", deviceJid).put("conn", conn))
        .map(m -> m.getBoolean("linked", false));
  }

  @Override
  public Future<Void> logoff(String deviceJid, SimulatedWhatsApp.Connection connection) {
    String conn = connOf.remove(connection);
    if (conn == null) {
      return Future.succeededFuture();
    }
    byConn.remove(conn);
    Future<NetSocket> current = current();
    if (deviceJid == null || current == null || !current.succeeded()) {
      return Future.succeededFuture(); // no link: the shared WhatsApp drops what this process held
    }
    // answered once the device is offline: a hand-over lets the lease go only then, so the next
    // owner's login cannot reach the shared WhatsApp first (it would evict this one with a 440)
    return ask(new JsonObject().put("op", "logoff").put("jid", deviceJid).put("conn", conn))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("the shared simulated WhatsApp did not confirm a device offline: {}",
              e.getMessage());
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Boolean> isLinked(String deviceJid) {
    return ask(new JsonObject().put("op", "linked").put("jid", deviceJid))
        .map(m -> m.getBoolean("linked", false));
  }

  @Override
  public Future<Void> remove(String deviceJid) {
    return ask(new JsonObject().put("op", "remove").put("jid", deviceJid)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(pingTimer);
    return client.close();
  }

  private Future<JsonObject> ask(JsonObject op) {
    return connection().compose(s -> {
      long id = ids.incrementAndGet();
      Promise<JsonObject> answer = Promise.promise();
      waiting.put(id, answer);
      long timer = vertx.setTimer(ANSWER_MILLIS, t -> {
        Promise<JsonObject> late = waiting.remove(id);
        if (late != null) {
          late.tryFail("the shared simulated WhatsApp did not answer in " + ANSWER_MILLIS + " ms");
        }
      });
      send(s, op.put("id", id));
      return answer.future().andThen(ar -> vertx.cancelTimer(timer)).compose(m -> m.containsKey("error")
          ? Future.failedFuture(m.getString("error")) : Future.succeededFuture(m));
    });
  }

  private synchronized Future<NetSocket> current() {
    return socket;
  }

  private synchronized Future<NetSocket> connection() {
    if (socket == null || socket.failed()) {
      socket = client.connect(port, host).onSuccess(s -> {
        s.handler(RecordParser.newDelimited("\n", line -> onLine(s, line)));
        s.closeHandler(v -> lost(s));
      });
    }
    return socket;
  }

  private void onLine(NetSocket s, Buffer line) {
    JsonObject m = new JsonObject(line);
    String event = m.getString("event");
    if ("hello".equals(event)) {
      long every = Math.max(10, m.getLong("silenceMillis", 10_000L) / 4);
      vertx.cancelTimer(pingTimer);
      pingTimer = vertx.setPeriodic(every, t -> send(s, new JsonObject().put("op", "ping")));
    } else if ("conflict".equals(event)) {
      SimulatedWhatsApp.Connection evicted = byConn.remove(m.getString("conn"));
      if (evicted != null) {
        connOf.remove(evicted);
        evicted.drop(Cause.conflict()); // 440: another client holds these credentials
      }
    } else {
      Promise<JsonObject> answer = waiting.remove(m.getLong("id"));
      if (answer != null) {
        answer.tryComplete(m);
      }
    }
  }

  /** The link is gone (the server stopped, or dropped this silent process): so are its sessions. */
  private void lost(NetSocket s) {
    synchronized (this) {
      if (socket != null && socket.succeeded() && socket.result() == s) {
        socket = null;
      }
    }
    vertx.cancelTimer(pingTimer);
    new ArrayList<>(waiting.keySet()).forEach(id -> {
      Promise<JsonObject> p = waiting.remove(id);
      if (p != null) {
        p.tryFail("the link to the shared simulated WhatsApp was lost");
      }
    });
    List<SimulatedWhatsApp.Connection> dropped = new ArrayList<>(byConn.values());
    byConn.clear();
    connOf.clear();
    dropped.forEach(c -> c.drop(Cause.connectionLost()));
  }

  private static void send(NetSocket s, JsonObject message) {
    s.write(message.encode() + "\n");
  }
}
