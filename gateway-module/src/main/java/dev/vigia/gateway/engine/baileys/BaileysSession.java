package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.Cause;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.CallerContext;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One org's Baileys socket inside the Node process, known there by {@code sid}. Everything runs
 * on the context it was opened on (the gateway's), so the listener is always called there.
 */
final class BaileysSession implements EngineSession {

  /** WhatsApp's QR lifetimes: the first 60 s, each rotation 20 s; a pairing code the whole series. */
  private static final long FIRST_QR_MS = 60_000;
  private static final long NEXT_QR_MS = 20_000;
  private static final long PAIRING_CODE_MS = 160_000;
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long SEND_TIMEOUT_MS = 60_000;
  private static final long LOGOUT_TIMEOUT_MS = 15_000;

  private final BaileysEngine engine;
  private final long sid;
  private final String org;
  private final RunAuthState auth;
  private final EngineListener listener;
  private final CallerContext context;
  private final Map<String, Promise<SendReceipt>> sends = new HashMap<>();
  private final Map<String, String> sendTo = new HashMap<>();

  private volatile boolean closed;
  /** What {@link #close} returns: done at once unless this session asked Node to close. */
  private volatile Future<Void> socketClosed = Future.succeededFuture();
  private boolean startRequested;
  private final Promise<Void> started = Promise.promise();
  private Promise<Void> loggedOut;
  private int qrShown;

  BaileysSession(BaileysEngine engine, long sid, RunAuthState auth, EngineListener listener,
      CallerContext context) {
    this.engine = engine;
    this.sid = sid;
    this.org = auth.org();
    this.auth = auth;
    this.listener = listener;
    this.context = context;
  }

  /** What Node's auth-state requests for this session read and write. */
  RunAuthState auth() {
    return auth;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public Future<Void> start(String pairingPhone) {
    if (startRequested) {
      return Future.failedFuture(new IllegalStateException("session already started"));
    }
    startRequested = true;
    long timer = vertx().setTimer(START_TIMEOUT_MS, id -> context.run(() -> {
      if (started.tryFail(new IllegalStateException("the Baileys engine did not start the session"))) {
        close();
      }
    }));
    engine.running().onComplete(ar -> context.run(() -> {
      if (ar.failed()) {
        started.tryFail(ar.cause());
      } else if (!closed) {
        JsonObject start = new JsonObject().put("op", "start").put("sid", sid).put("org", org);
        if (pairingPhone != null) {
          start.put("pairingPhone", pairingPhone.replaceAll("[^0-9]", ""));
        }
        engine.send(start);
      } else {
        started.tryFail(new IllegalStateException("session closed"));
      }
    }));
    return started.future().onComplete(ar -> vertx().cancelTimer(timer));
  }

  @Override
  public Future<SendReceipt> send(String to, String text, String idempotencyKey) {
    Promise<SendReceipt> receipt = Promise.promise();
    context.run(() -> {
      if (closed || !started.future().succeeded()) {
        receipt.fail(new IllegalStateException("not connected"));
        return;
      }
      String id = UUID.randomUUID().toString();
      sends.put(id, receipt);
      sendTo.put(id, to);
      engine.send(new JsonObject().put("op", "send").put("sid", sid).put("id", id)
          .put("to", to).put("text", text));
      vertx().setTimer(SEND_TIMEOUT_MS, t -> context.run(() -> settle(id, null, "timed out")));
    });
    return receipt.future();
  }

  @Override
  public Future<Void> logout() {
    Promise<Void> done = Promise.promise();
    context.run(() -> {
      if (closed || !started.future().succeeded()) {
        close().onComplete(done);
        return;
      }
      loggedOut = done;
      engine.send(new JsonObject().put("op", "logout").put("sid", sid));
      vertx().setTimer(LOGOUT_TIMEOUT_MS, t -> context.run(() -> {
        if (done.tryFail(new IllegalStateException("logout timed out"))) {
          close();
        }
      }));
    });
    return done.future();
  }

  @Override
  /** Completes once Node reports this session's WhatsApp socket closed (bounded). */
  public Future<Void> close() {
    if (!closed) {
      closed = true;
      engine.forget(sid);
      socketClosed = engine.close(sid);
      context.run(() -> {
        started.tryFail(new IllegalStateException("session closed"));
        failSends("session closed");
      });
    }
    return socketClosed;
  }

  /** The Node process died: Node's side of this session is gone. */
  void processStopped() {
    context.run(() -> {
      if (closed) {
        return;
      }
      closed = true;
      failSends("the engine stopped");
      if (loggedOut != null) {
        loggedOut.tryFail(new IllegalStateException("the engine stopped"));
      }
      if (started.tryFail(new IllegalStateException("the engine stopped"))) {
        return; // the caller of start() hears of it; no close for a session that never started
      }
      listener.onClose(BaileysCauses.engineStopped());
    });
  }

  void onNodeEvent(String op, JsonObject m) {
    context.run(() -> {
      if (closed) {
        return;
      }
      Instant now = engine.clock().instant();
      switch (op) {
        case "started" -> started.tryComplete();
        case "qr" -> {
          long lifetime = qrShown++ == 0 ? FIRST_QR_MS : NEXT_QR_MS;
          listener.onQr(m.getString("qr"), now.plusMillis(lifetime));
        }
        case "pairing_code" -> listener.onPairingCode(m.getString("code"),
            now.plusMillis(PAIRING_CODE_MS));
        case "open" -> {
          JsonObject me = m.getJsonObject("me", new JsonObject());
          listener.onOpen(new SessionView.Me(me.getString("jid"), me.getString("name")));
        }
        case "activity" -> listener.onActivity(new Activity(org, m.getString("kind"),
            m.getString("contact"), m.getString("detail"), now));
        case "sent" -> settle(m.getString("id"), m.getString("messageId"), null);
        case "send_failed" -> settle(m.getString("id"), null, m.getString("error"));
        case "logged_out" -> {
          closed = true;
          engine.forget(sid);
          failSends("logged out");
          if (loggedOut != null) {
            loggedOut.tryComplete();
          }
        }
        case "close" -> {
          closed = true;
          engine.forget(sid);
          failSends("connection closed");
          Integer code = m.getValue("code") instanceof Number n ? n.intValue() : null;
          Cause cause = BaileysCauses.of(code, m.getString("message"), m.getString("errno"),
              m.getString("reason"));
          if (loggedOut != null) {
            loggedOut.tryComplete(); // the close a logout asked for: the caller knows already
            return;
          }
          if (started.tryFail(new IllegalStateException("closed before start: " + cause.reason()))) {
            return; // the caller of start() hears of it
          }
          listener.onClose(cause);
        }
        default -> { } // an op this version does not know: ignored
      }
    });
  }

  void onNodeError(String request, String id, String error) {
    context.run(() -> {
      if ("start".equals(request)) {
        if (started.tryFail(new IllegalStateException("the engine could not start: " + error))) {
          closed = true;
          engine.forget(sid);
        }
      } else if ("send".equals(request) && id != null) {
        settle(id, null, error);
      } else if ("logout".equals(request) && loggedOut != null) {
        loggedOut.tryFail(new IllegalStateException("logout failed: " + error));
        close();
      }
    });
  }

  private void settle(String id, String messageId, String error) {
    Promise<SendReceipt> receipt = sends.remove(id);
    String to = sendTo.remove(id);
    if (receipt == null) {
      return;
    }
    Instant now = engine.clock().instant();
    if (closed && error != null) {
      receipt.fail(new IllegalStateException("send failed: " + error));
      return; // a closed session reports nothing more
    }
    if (error == null) {
      String receiptId = messageId == null ? id : messageId;
      listener.onActivity(new Activity(org, Activity.MESSAGE_SENT, to, receiptId, now));
      receipt.complete(new SendReceipt(receiptId, "sent"));
    } else {
      listener.onActivity(new Activity(org, Activity.MESSAGE_FAILED, to, error, now));
      receipt.fail(new IllegalStateException("send failed: " + error));
    }
  }

  private void failSends(String why) {
    for (var e : Map.copyOf(sends).entrySet()) {
      settle(e.getKey(), null, why);
    }
  }

  private Vertx vertx() {
    return engine.vertx();
  }
}
