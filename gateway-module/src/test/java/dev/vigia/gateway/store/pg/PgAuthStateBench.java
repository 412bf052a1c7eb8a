package dev.vigia.gateway.store.pg;

import static dev.vigia.gateway.store.Await.result;

import dev.vigia.common.pg.LocalPostgres;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import dev.vigia.gateway.store.BufferJson;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the PostgreSQL auth-state store against the file store (the baseline), measured
 * side by side in one run on Baileys' workload, each call awaited: a pre-key upload of 812 keys
 * in one {@code keys.set}, 5 times; 3,000 single session writes (one key per call, as each
 * message ratchet does); 2,000 creds saves; all through a session run's writer. Not part of
 * {@code verify} (no *Test name); run it with
 * <pre>
 * ./mvnw -B -q -pl gateway-module -am verify -Dtest=PgAuthStateBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * </pre>
 * PostgreSQL: {@code VIGIA_BENCH_PG_URL} (an empty database) when set, else a local throwaway
 * server with PostgreSQL's durable defaults (fsync and synchronous commit on, as the file store
 * fsyncs every write). It prints numbers and ratios; it asserts nothing about time.
 */
class PgAuthStateBench {

  static final int PRE_KEYS = 812;
  static final int PRE_KEY_ROUNDS = 5;
  static final int SINGLE_WRITES = 3_000;
  static final int CREDS_SAVES = 2_000;

  record Result(String store, double[] preKeyRounds, double singles, double creds) {}

  @Test
  void preKeyBatchesSingleWritesAndCredsSaves() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("vigia-bench-");
    String given = System.getenv("VIGIA_BENCH_PG_URL");
    LocalPostgres local = given == null ? LocalPostgres.start(true) : null;
    try {
      PgSettings db = given != null ? PgSettings.parse(given) : newDatabase(local);
      PgDatabase database = PgDatabase.create(vertx, db, 4);
      result(database.open(), 120);
      List<Result> results = new ArrayList<>();
      for (int run = 0; run < 2; run++) { // run 0, a tenth of the work, warms up JIT and stores
        String org = "bench" + run;
        int scale = run == 0 ? 10 : 1;
        FileAuthStateStore files = new FileAuthStateStore(vertx, dir.resolve("run" + run),
            Clock.systemUTC());
        result(files.open());
        Result file = measure("file", files, org, scale);
        Result pg = measure("postgres", new PgAuthStateStore(vertx, database.pool(),
            Clock.systemUTC()), org, scale);
        if (run == 1) {
          results.add(file);
          results.add(pg);
        }
      }
      print(results.get(0), results.get(1), given == null ? "local PostgreSQL "
          + serverVersion(database) + ", durable defaults" : db.where());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      if (local != null) {
        local.close();
      }
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static PgSettings newDatabase(LocalPostgres server) {
    TestPostgres.execute(server.admin(), "CREATE DATABASE vigia_bench ENCODING 'UTF8'"
        + " LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
    return server.admin().withDatabase("vigia_bench");
  }

  /** The workload, divided by {@code scale} (the pre-key batches keep their 812 keys). */
  static Result measure(String name, AuthStateStore store, String org, int scale)
      throws Exception {
    Random random = new Random(7);
    AuthStateWriter writer = result(store.openWriter(org));
    double[] rounds = new double[Math.max(1, PRE_KEY_ROUNDS / scale)];
    for (int round = 0; round < rounds.length; round++) {
      Map<String, String> keys = new LinkedHashMap<>();
      for (int i = 0; i < PRE_KEYS; i++) {
        keys.put(String.valueOf(round * PRE_KEYS + i + 1), preKey(random));
      }
      long t0 = System.nanoTime();
      result(writer.setKeys(Map.of("pre-key", keys)), 120);
      rounds[round] = PRE_KEYS / seconds(t0);
    }
    String session = sessionRecord(random);
    long t0 = System.nanoTime();
    int singles = SINGLE_WRITES / scale;
    for (int i = 0; i < singles; i++) {
      result(writer.setKeys(Map.of("session", Map.of("5215550001111." + (i % 4),
          session.replace("\"counter\":0", "\"counter\":" + i)))));
    }
    double singlesPerSecond = singles / seconds(t0);
    JsonObject creds = creds(random);
    t0 = System.nanoTime();
    int saves = CREDS_SAVES / scale;
    for (int i = 0; i < saves; i++) {
      result(writer.writeCreds(creds.put("lastPropHash", "h" + i)));
    }
    double credsPerSecond = saves / seconds(t0);
    return new Result(name, rounds, singlesPerSecond, credsPerSecond);
  }

  static void print(Result file, Result pg, String where) {
    StringBuilder out = new StringBuilder("\nauth-state store throughput (" + where + ")\n");
    out.append(String.format("%-10s | %-28s | %-22s | %s%n", "store",
        "pre-key batch (812), keys/s", "single session writes/s", "creds saves/s"));
    for (Result r : List.of(file, pg)) {
      out.append(String.format("%-10s | %-28s | %-22.0f | %.0f%n", r.store(), range(r.preKeyRounds()),
          r.singles(), r.creds()));
    }
    out.append(String.format("%-10s | %-28s | %-22s | %.2fx%n", "pg / file",
        String.format("%.2fx (medians)", median(pg.preKeyRounds()) / median(file.preKeyRounds())),
        String.format("%.2fx", pg.singles() / file.singles()), pg.creds() / file.creds()));
    System.out.println(out);
  }

  static String range(double[] values) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return String.format("%.0f - %.0f", min, max);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static String serverVersion(PgDatabase database) throws Exception {
    return result(database.pool().query("SHOW server_version").execute()).iterator().next()
        .getString(0);
  }

  static String bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return BufferJson.encode(b).encode();
  }

  /** As Baileys writes a pre-key: a key pair of 32-byte Buffers. */
  static String preKey(Random random) {
    return "{\"private\":" + bytes(random, 32) + ",\"public\":" + bytes(random, 32) + "}";
  }

  /** About the size of a Baileys session record (about 2 KB of JSON). */
  static String sessionRecord(Random random) {
    return "{\"_sessions\":{\"" + bytes(random, 33).hashCode() + "\":{\"registrationId\":123,"
        + "\"currentRatchet\":{\"ephemeralKeyPair\":{\"pubKey\":" + bytes(random, 33)
        + ",\"privKey\":" + bytes(random, 32) + "},\"lastRemoteEphemeralKey\":" + bytes(random, 33)
        + ",\"previousCounter\":0,\"rootKey\":" + bytes(random, 32) + "},\"indexInfo\":"
        + "{\"baseKey\":" + bytes(random, 33) + ",\"baseKeyType\":2,\"closed\":-1,\"used\":1,"
        + "\"created\":1,\"remoteIdentityKey\":" + bytes(random, 33) + "},\"_chains\":{\"c\":"
        + "{\"chainKey\":{\"counter\":0,\"key\":" + bytes(random, 32) + "},\"chainType\":1,"
        + "\"messageKeys\":{\"pad\":" + bytes(random, 1200) + "}}}}},\"version\":\"v1\"}";
  }

  static JsonObject creds(Random random) {
    return new JsonObject()
        .put("noiseKey", new JsonObject().put("private", BufferJson.encode(new byte[32]))
            .put("public", BufferJson.encode(new byte[32])))
        .put("signedIdentityKey", new JsonObject().put("private", BufferJson.encode(new byte[32]))
            .put("public", BufferJson.encode(new byte[32])))
        .put("signedPreKey", new JsonObject().put("keyId", 1).put("signature",
            BufferJson.encode(new byte[64])))
        .put("registrationId", random.nextInt(16380) + 1)
        .put("advSecretKey", "mgXt/4sQnWmdClra5h2jaIMlcMGd+kuS6yF4IfLDTTk=")
        .put("me", new JsonObject().put("id", "5215550000001:7@s.whatsapp.net"))
        .put("nextPreKeyId", 813).put("firstUnuploadedPreKeyId", 813);
  }
}
