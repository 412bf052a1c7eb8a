package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.CallerContext;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.BufferJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One org's connection to the {@link SimulatedWhatsApp}. Everything it does runs on the context
 * it was opened on (the gateway's), so the listener is always called there.
 */
final class SimulatedSession implements EngineSession, SimulatedWhatsApp.Connection {

  private enum Phase { NEW, QR, PAIRING, LINKING, OPENING, OPEN, CLOSED }

  /** Pre-keys written at link time, as Baileys uploads a first batch. */
  private static final int FIRST_PRE_KEYS = 5;

  private final SimulatedEngine engine;
  private final String org;
  private final RunAuthState auth;
  private final EngineListener listener;
  private final CallerContext context;
  private final SimulatedWhatsApp whatsApp;

  private Phase phase = Phase.NEW;
  private boolean closedByCaller;
  private long timer = -1;
  private int qrShown;
  private String pairingPhone;
  private JsonObject pendingCreds;
  private String deviceJid;
  /** Completes once WhatsApp has no device online through this session (a login may be in flight). */
  private Future<Void> offline = Future.succeededFuture();

  SimulatedSession(SimulatedEngine engine, RunAuthState auth, EngineListener listener,
      CallerContext context) {
    this.engine = engine;
    this.org = auth.org();
    this.auth = auth;
    this.listener = listener;
    this.context = context;
    this.whatsApp = engine.whatsApp();
  }

  @Override
  public Future<Void> start(String pairingPhone) {
    if (phase != Phase.NEW) {
      return Future.failedFuture(new IllegalStateException("session already started"));
    }
    this.pairingPhone = pairingPhone;
    phase = Phase.OPENING;
    whatsApp.attach(this);
    return auth.readCreds().map(creds -> {
      context.run(() -> connect(creds));
      return null;
    });
  }

  private void connect(JsonObject creds) {
    if (phase != Phase.OPENING) {
      return;
    }
    if (!whatsApp.isNetworkUp()) {
      finish(Cause.networkDown());
      return;
    }
    JsonObject me = creds == null ? null : creds.getJsonObject("me");
    if (creds != null && creds.getBoolean("registered", false) && me != null
        && me.getString("id") != null) {
      open(me);
    } else if (pairingPhone != null) {
      showPairingCode();
    } else {
      showQr();
    }
  }

  private void open(JsonObject me) {
    String jid = me.getString("id");
    // in this JVM the answer is at once; from a shared simulated WhatsApp it comes back later
    Promise<Void> loginSettled = Promise.promise();
    offline = loginSettled.future();
    whatsApp.login(jid, this).onComplete(ar -> context.run(() -> {
      if (phase != Phase.OPENING) {
        // closed while logging in: not online any more, and a close waits for that
        (ar.succeeded() && ar.result() ? whatsApp.detach(this, jid) : Future.<Void>succeededFuture())
            .onComplete(loginSettled);
        return;
      }
      loginSettled.complete();
      if (ar.failed()) {
        finish(Cause.unavailable()); // the simulated WhatsApp cannot be reached
      } else if (!ar.result()) {
        // 401: the phone removed this device; these credentials are dead
        finish(Cause.loggedOut());
      } else {
        deviceJid = jid;
        phase = Phase.OPEN;
        listener.onOpen(new SessionView.Me(jid, me.getString("name")));
      }
    }));
  }

  @Override
  public String deviceJid() {
    return deviceJid;
  }

  private void showQr() {
    phase = Phase.QR;
    if (pendingCreds == null) {
      pendingCreds = freshCreds();
    }
    qrShown++;
    var timings = engine.timings();
    long lifetime = qrShown == 1 ? timings.qrFirstMillis() : timings.qrNextMillis();
    Instant expiresAt = engine.clock().instant().plusMillis(lifetime);
    listener.onQr(qrPayload(), expiresAt);
    timer = vertx().setTimer(lifetime, id -> {
      timer = -1;
      if (phase != Phase.QR) {
        return;
      }
      if (qrShown >= engine.timings().qrCount()) {
        finish(Cause.qrExpired());
      } else {
        showQr();
      }
    });
  }

  private void showPairingCode() {
    phase = Phase.PAIRING;
    if (pendingCreds == null) {
      pendingCreds = freshCreds();
    }
    var timings = engine.timings();
    // the code lives as long as the whole series of QR codes would have
    long lifetime = timings.qrFirstMillis() + (timings.qrCount() - 1L) * timings.qrNextMillis();
    listener.onPairingCode(whatsApp.pairingCode(), engine.clock().instant().plusMillis(lifetime));
    timer = vertx().setTimer(lifetime, id -> {
      timer = -1;
      if (phase == Phase.PAIRING) {
        finish(Cause.qrExpired());
      }
    });
  }

  /** Baileys' QR text: {@code ref,noiseKeyB64,identityKeyB64,advSecretB64}; only the ref rotates. */
  private String qrPayload() {
    String ref = "2@" + Base64.getEncoder().encodeToString(whatsApp.randomBytes(48));
    String noise = publicKey(pendingCreds.getJsonObject("noiseKey"));
    String identity = publicKey(pendingCreds.getJsonObject("signedIdentityKey"));
    return ref + "," + noise + "," + identity + "," + pendingCreds.getString("advSecretKey");
  }

  private static String publicKey(JsonObject keyPair) {
    return keyPair.getJsonObject("public").getString("data");
  }

  Future<Void> scan() {
    if (phase != Phase.QR && phase != Phase.PAIRING) {
      return Future.failedFuture(new IllegalStateException(
          "no QR code or pairing code is waiting for this organization"));
    }
    cancelTimer();
    phase = Phase.LINKING;
    String phone = pairingPhone != null ? pairingPhone : phoneOf(org);
    JsonObject pending = pendingCreds;
    return whatsApp.link(phone).transform(linking -> {
      if (linking.failed()) {
        context.run(() -> {
          if (phase == Phase.LINKING) {
            finish(Cause.unavailable()); // the simulated WhatsApp cannot be reached
          }
        });
        return Future.<Void>succeededFuture();
      }
      JsonObject creds = pending.copy()
          .put("registered", true)
          .put("me", new JsonObject().put("id", linking.result()).put("name", "Vigía " + org))
          .put("nextPreKeyId", FIRST_PRE_KEYS + 1)
          .put("firstUnuploadedPreKeyId", FIRST_PRE_KEYS + 1);
      Map<String, String> preKeys = new LinkedHashMap<>();
      for (int id = 1; id <= FIRST_PRE_KEYS; id++) {
        preKeys.put(String.valueOf(id), keyPair().encode());
      }
      return auth.writeCreds(creds)
          .compose(v -> auth.setKeys(Map.of("pre-key", preKeys)))
          .transform(saved -> {
            context.run(() -> linked(saved.succeeded()));
            // the phone did scan; what became of the link is told by the session's events
            return Future.<Void>succeededFuture();
          });
    });
  }

  private void linked(boolean saved) {
    if (phase != Phase.LINKING) {
      return; // closed meanwhile (a clear revokes the run's writes: then they failed, as they must)
    }
    if (!saved) {
      // Baileys would go on with creds that were never stored; this run ends instead
      finish(new Cause(null, Cause.CREDS_WRITE_FAILED,
          "The linked credentials could not be saved"));
      return;
    }
    long delay = engine.timings().restartMillis();
    // 515: after a scan WhatsApp asks the client to reconnect with the new credentials
    if (delay <= 0) {
      finish(Cause.restartRequired());
    } else {
      timer = vertx().setTimer(delay, id -> finish(Cause.restartRequired()));
    }
  }

  /** A deterministic number for the phone that scans this org's QR. */
  static String phoneOf(String org) {
    return "521555" + String.format("%07d", Math.floorMod(org.hashCode(), 10_000_000));
  }

  void fail(Cause cause) {
    context.run(() -> {
      if (Cause.LOGGED_OUT.equals(cause.reason()) && deviceJid != null) {
        whatsApp.removeDevice(deviceJid);
      }
      finish(cause);
    });
  }

  void decryptFailures(String contact, int count) {
    context.run(() -> {
      for (int i = 0; i < count && phase != Phase.CLOSED; i++) {
        listener.onActivity(new Activity(org, Activity.DECRYPT_FAILURE, contact, "Bad MAC",
            engine.clock().instant()));
      }
    });
  }

  @Override
  public void drop(Cause cause) {
    context.run(() -> finish(cause));
  }

  @Override
  public Future<SendReceipt> send(String to, String text, String idempotencyKey) {
    if (phase != Phase.OPEN) {
      return Future.failedFuture(new IllegalStateException("not connected"));
    }
    Instant now = engine.clock().instant();
    SimulatedWhatsApp.SentMessage message = whatsApp.deliver(org, deviceJid, to, text, now);
    listener.onActivity(new Activity(org, Activity.MESSAGE_SENT, to, message.id(), now));
    return Future.succeededFuture(new SendReceipt(message.id(), "sent"));
  }

  @Override
  public Future<Void> logout() {
    if (deviceJid == null) {
      return close();
    }
    return whatsApp.removeDevice(deviceJid).transform(removed -> close());
  }

  @Override
  /** Completes once the device is offline at WhatsApp: another process may then log it in. */
  public Future<Void> close() {
    closedByCaller = true;
    Promise<Void> closed = Promise.promise();
    context.run(() -> {
      finish(null);
      offline.onComplete(closed);
    });
    return closed.future();
  }

  private void finish(Cause cause) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    cancelTimer();
    Future<Void> detached = whatsApp.detach(this, deviceJid);
    Future<Void> loggingIn = offline;
    offline = loggingIn.eventually(() -> detached);
    engine.forget(org, this);
    if (!closedByCaller && cause != null) {
      listener.onClose(cause);
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  private Vertx vertx() {
    return engine.vertx();
  }

  /** What Baileys' {@code initAuthCreds()} makes, with deterministic bytes. */
  private JsonObject freshCreds() {
    return new JsonObject()
        .put("noiseKey", keyPair())
        .put("pairingEphemeralKeyPair", keyPair())
        .put("signedIdentityKey", keyPair())
        .put("signedPreKey", new JsonObject()
            .put("keyPair", keyPair())
            .put("signature", BufferJson.encode(whatsApp.randomBytes(64)))
            .put("keyId", 1))
        .put("registrationId", 1 + Math.floorMod(
            java.nio.ByteBuffer.wrap(whatsApp.randomBytes(4)).getInt(), 16380))
        .put("advSecretKey", Base64.getEncoder().encodeToString(whatsApp.randomBytes(32)))
        .put("processedHistoryMessages", new JsonArray())
        .put("nextPreKeyId", 1)
        .put("firstUnuploadedPreKeyId", 1)
        .put("accountSyncCounter", 0)
        .put("accountSettings", new JsonObject().put("unarchiveChats", false))
        .put("registered", false);
  }

  private JsonObject keyPair() {
    return new JsonObject()
        .put("private", BufferJson.encode(whatsApp.randomBytes(32)))
        .put("public", BufferJson.encode(whatsApp.randomBytes(32)));
  }
}
