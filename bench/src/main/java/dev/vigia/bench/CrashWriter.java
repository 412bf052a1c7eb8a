package dev.vigia.bench;

import dev.vigia.gateway.store.AuthStateWriter;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Vigía side of {@link CrashSafety}: a child JVM writing through {@link FileAuthStateStore}
 * until it is killed, the same steps as {@code bench/baileys-crash.mjs write} (a pre-key upload of
 * 100 keys in one call, 10 session writes one key each, a creds save; every call awaited, every
 * value carrying the step's number "seq"), after 10 such steps into another org to warm the JVM. After each call is acknowledged it prints
 * {@code <seq> <type> <id,id,...>} on stdout; {@code ready} once the store is open.
 *
 * <pre>java -cp … dev.vigia.bench.CrashWriter &lt;data dir&gt;</pre>
 */
public final class CrashWriter {

  static final String ORG = "crash";
  static final String WARM_UP = "warmup";
  static final int WARM_UP_STEPS = 10;
  static final int PRE_KEYS = 812;
  static final int PRE_KEYS_PER_STEP = 100;
  static final int SESSIONS_PER_STEP = 10;
  static final int CONTACTS = 300;

  private static final SecureRandom RANDOM = new SecureRandom();

  private CrashWriter() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    FileAuthStateStore store = new FileAuthStateStore(vertx, Path.of(args[0]), Clock.systemUTC());
    // warm first (a running server is warm), in another org the parent does not check
    vertx.runOnContext(v -> store.open().compose(x -> store.openWriter(WARM_UP))
        .compose(w -> steps(w, 1, WARM_UP_STEPS, false))
        .compose(x -> store.flush())
        .compose(x -> store.openWriter(ORG)).onSuccess(w -> {
          say("ready");
          steps(w, 1, Integer.MAX_VALUE, true);
        }).onFailure(e -> {
      System.err.println("the store did not open: " + e);
      System.exit(1);
    }));
  }

  /** Steps {@code seq..last}, one after the other, each acknowledged line printed when {@code tell}. */
  private static Future<Void> steps(AuthStateWriter writer, int seq, int last, boolean tell) {
    return seq > last ? Future.succeededFuture()
        : step(writer, seq, tell).compose(v -> steps(writer, seq + 1, last, tell));
  }

  private static Future<Void> step(AuthStateWriter writer, int seq, boolean tell) {
    Map<String, String> preKeys = new LinkedHashMap<>();
    for (int i = 0; i < PRE_KEYS_PER_STEP; i++) {
      preKeys.put(String.valueOf((seq * PRE_KEYS_PER_STEP + i) % PRE_KEYS + 1), preKey(seq));
    }
    Future<Void> done = writer.setKeys(Map.of("pre-key", preKeys))
        .onSuccess(v -> say(tell, seq + " pre-key " + String.join(",", preKeys.keySet())));
    for (int s = 0; s < SESSIONS_PER_STEP; s++) {
      String id = String.format("52155500%05d.0", (seq * SESSIONS_PER_STEP + s) % CONTACTS);
      done = done.compose(v -> writer.setKeys(Map.of("session", Map.of(id, session(seq)))))
          .onSuccess(v -> say(tell, seq + " session " + id));
    }
    return done.compose(v -> writer.writeCreds(creds(seq)))
        .onSuccess(v -> say(tell, seq + " creds creds"))
        .onFailure(e -> {
          System.err.println("a write failed: " + e);
          System.exit(1);
        });
  }

  /** Printed and flushed at once: a line the parent reads is a write that was acknowledged. */
  private static void say(boolean tell, String line) {
    if (tell) {
      say(line);
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static String buffer(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return new JsonObject().put("type", "Buffer").put("data", Base64.getEncoder().encodeToString(b))
        .encode();
  }

  private static String preKey(int seq) {
    return "{\"seq\":" + seq + ",\"private\":" + buffer(32) + ",\"public\":" + buffer(33) + "}";
  }

  /** A libsignal session record's shape and size, as bench/baileys-crash.mjs writes it. */
  private static String session(int seq) {
    String b64 = Base64.getEncoder().encodeToString(new byte[33]);
    return "{\"seq\":" + seq + ",\"_sessions\":{\"" + b64 + "\":{\"registrationId\":" + seq % 16384
        + ",\"currentRatchet\":{\"ephemeralKeyPair\":{\"pubKey\":" + buffer(33) + ",\"privKey\":"
        + buffer(32) + "},\"lastRemoteEphemeralKey\":" + buffer(33)
        + ",\"previousCounter\":0,\"rootKey\":" + buffer(32) + "},\"indexInfo\":{\"baseKey\":"
        + buffer(33) + ",\"baseKeyType\":1,\"closed\":-1,\"used\":" + seq + ",\"created\":" + seq
        + ",\"remoteIdentityKey\":" + buffer(33) + "},\"_chains\":{\"" + b64
        + "\":{\"chainKey\":{\"counter\":1,\"key\":" + buffer(32)
        + "},\"chainType\":1,\"messageKeys\":{}}}}},\"version\":\"v1\"}";
  }

  private static JsonObject creds(int seq) {
    return new JsonObject().put("seq", seq).put("registered", true)
        .put("advSecretKey", Base64.getEncoder().encodeToString(new byte[32]))
        .put("noiseKey", new JsonObject().put("private", new JsonObject(buffer(32)))
            .put("public", new JsonObject(buffer(32))))
        .put("signedIdentityKey", new JsonObject().put("private", new JsonObject(buffer(32)))
            .put("public", new JsonObject(buffer(32))))
        .put("me", new JsonObject().put("id", "5215500000001:1@s.whatsapp.net"));
  }
}
