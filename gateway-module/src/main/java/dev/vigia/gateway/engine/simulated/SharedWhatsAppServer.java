package dev.vigia.gateway.engine.simulated;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated WhatsApp that several Vigía processes share (cluster mode with
 * {@code VIGIA_ENGINE=simulated}, and the cluster tests): it holds the linked devices and who is
 * online with each, so a second process logging in with the same credentials evicts the first
 * with 440, as the real service does. JSON lines over TCP on 127.0.0.1 (or the host given), one
 * connection per process, its sessions told apart by the {@code conn} ids the process picks:
 *
 * <pre>
 * → {"id":1,"op":"link","phone":"5215550001"}       ← {"id":1,"jid":"5215550001:1@s.whatsapp.net"}
 * → {"id":2,"op":"login","jid":"…","conn":"c7"}     ← {"id":2,"linked":true}
 * ← {"event":"conflict","conn":"c7"}                (to the older holder of that device: 440)
 * → {"id":3,"op":"logoff","jid":"…","conn":"c7"}    ← {"id":3}   (the device is offline)
 * → {"id":4,"op":"remove","jid":"…"}                ← {"id":4}
 * → {"op":"ping"}                                    ← on connect: {"event":"hello","silenceMillis":n}
 * </pre>
 *
 * A process that says nothing for {@code silenceMillis} (it pings four times as often) is
 * disconnected and its devices go offline, as WhatsApp drops a client whose keep-alives stop: a
 * frozen or killed node leaves no device online behind it, so the node that takes its sessions
 * over logs in without a conflict.
 */
public final class SharedWhatsAppServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SharedWhatsAppServer.class);

  private record Holder(NetSocket socket, String conn) {}

  private final String host;
  private final int port;
  private final long silenceMillis;
  private final Map<NetSocket, Long> lastHeard = new HashMap<>();
  private final Map<String, Holder> online = new HashMap<>();
  private final Set<String> removed = new HashSet<>();
  private final Map<String, Integer> devicesByPhone = new HashMap<>();
  private final AtomicInteger conflicts = new AtomicInteger();
  private volatile int actualPort;
  private NetServer server;

  /** {@code port} 0: any free port ({@link #actualPort()} after the start). */
  public SharedWhatsAppServer(String host, int port, long silenceMillis) {
    this.host = host;
    this.port = port;
    this.silenceMillis = silenceMillis;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(Math.max(10, silenceMillis / 4), id -> dropSilent());
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(port, host).onSuccess(s -> {
      actualPort = s.actualPort();
      LOG.info("simulated WhatsApp shared on {}:{}", host, actualPort);
    });
  }

  public int actualPort() {
    return actualPort;
  }

  /** Whether a connection holds the device online now (asked on the server's context). */
  public Future<Boolean> isOnline(String jid) {
    Promise<Boolean> answer = Promise.promise();
    context.runOnContext(v -> answer.complete(online.containsKey(jid)));
    return answer.future();
  }

  /** How many logins evicted another process' (or session's) connection with 440. */
  public int conflicts() {
    return conflicts.get();
  }

  private void accept(NetSocket socket) {
    lastHeard.put(socket, System.nanoTime());
    socket.handler(RecordParser.newDelimited("\n", line -> onLine(socket, line)));
    socket.closeHandler(v -> offline(socket));
    send(socket, new JsonObject().put("event", "hello").put("silenceMillis", silenceMillis));
  }

  private void onLine(NetSocket socket, Buffer line) {
    lastHeard.put(socket, System.nanoTime());
    JsonObject m;
    try {
      m = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      socket.close(); // not one of ours
      return;
    }
    Long id = m.getLong("id");
    String jid = m.getString("jid");
    switch (m.getString("op", "")) {
      case "ping" -> { }
      case "link" -> {
        String phone = m.getString("phone");
        int device = devicesByPhone.merge(phone, 1, Integer::sum);
        send(socket, new JsonObject().put("id", id).put("jid", phone + ":" + device + "@s.whatsapp.net"));
      }
      case "login" -> send(socket, new JsonObject().put("id", id).put("linked",
          login(jid, new Holder(socket, m.getString("conn")))));
      case "logoff" -> {
        online.remove(jid, new Holder(socket, m.getString("conn")));
        if (id != null) {
          send(socket, new JsonObject().put("id", id));
        }
      }
      case "linked" -> send(socket, new JsonObject().put("id", id)
          .put("linked", jid != null && !removed.contains(jid)));
      case "remove" -> {
        removed.add(jid);
        send(socket, new JsonObject().put("id", id));
      }
      default -> send(socket, new JsonObject().put("id", id).put("error", "unknown op"));
    }
  }

  private boolean login(String jid, Holder holder) {
    if (jid == null || removed.contains(jid)) {
      return false; // 401: the phone removed this device
    }
    Holder older = online.put(jid, holder);
    if (older != null && !older.equals(holder)) {
      // 440: another client holds these credentials
      conflicts.incrementAndGet();
      LOG.info("440 conflict: a login evicted the older connection of one device");
      send(older.socket(), new JsonObject().put("event", "conflict").put("conn", older.conn()));
    }
    return true;
  }

  private void dropSilent() {
    long now = System.nanoTime();
    for (Map.Entry<NetSocket, Long> e : Map.copyOf(lastHeard).entrySet()) {
      if (now - e.getValue() > TimeUnit.MILLISECONDS.toNanos(silenceMillis)) {
        LOG.info("a process went silent for {} ms: its devices go offline", silenceMillis);
        offline(e.getKey());
        e.getKey().close();
      }
    }
  }

  private void offline(NetSocket socket) {
    lastHeard.remove(socket);
    online.values().removeIf(h -> h.socket() == socket);
  }

  private static void send(NetSocket socket, JsonObject message) {
    socket.write(message.encode() + "\n");
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
