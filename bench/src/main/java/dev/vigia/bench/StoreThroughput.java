package dev.vigia.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigia.common.Json;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.gateway.store.pg.PgAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Baileys' {@code useMultiFileAuthState} (under Node, {@code bench/baileys-store.mjs}) against
 * Vigía's {@link FileAuthStateStore}, in the same run, on the same workload and the same disk:
 * 5 pre-key uploads of 812 keys in one {@code keys.set}; 3,000 session writes, one key per call;
 * 2,000 creds saves; every call awaited before the next, as Baileys awaits them; then the 3,000
 * session writes again from 20 orgs at once (each org's calls awaited in turn). Baileys never
 * syncs; Vigía acknowledges a write only once it is durable. Rounds alternate the two stores
 * (Vigía after one uncounted warm-up round, as a running server is warm; Node runs each round as
 * a fresh script); the table shows each round and the median, and the ratio of the medians.
 *
 * <pre>
 * (cd whatsapp-loopback &amp;&amp; npm ci --ignore-scripts)
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * java [-Dpg=postgresql://user:pass@127.0.0.1:5432/db] -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     dev.vigia.bench.StoreThroughput [rounds]
 * </pre>
 * With {@code -Dpg} the PostgreSQL store ({@code PgAuthStateStore}, the database migrated as
 * Vigía's start does) runs the same workload in each round too, as a third column.
 * Run from the repository root; writes {@code bench/target/store-throughput.json}.
 */
public final class StoreThroughput {

  private static final String ORG = "bench";
  private static final List<String> PHASES = List.of("preKeyKeysPerSec", "sessionWritesPerSec",
      "credsSavesPerSec", "sessionWrites20OrgsPerSec");
  private static final int ORGS = 20;

  private StoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path repo = Path.of("").toAbsolutePath();
    Path baileys = repo.resolve(
        "whatsapp-loopback/node_modules/@whiskeysockets/baileys/lib/index.js");
    Path script = repo.resolve("bench/baileys-store.mjs");
    if (!Files.isRegularFile(baileys) || !Files.isRegularFile(script)) {
      System.err.println("run from the repository root, after"
          + " (cd whatsapp-loopback && npm ci --ignore-scripts)");
      System.exit(2);
    }
    Path work = Files.createDirectories(repo.resolve("bench/target/store-throughput"));
    deleteTree(work);
    Files.createDirectories(work);
    Path workloadFile = work.resolve("workload.json");
    node(baileys, script, "generate", workloadFile.toString());
    Workload workload = Workload.read(workloadFile);

    List<Map<String, Double>> baileysRounds = new ArrayList<>();
    List<Map<String, Double>> vigiaRounds = new ArrayList<>();
    List<Map<String, Double>> pgRounds = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    PgDatabase pg = null;
    try {
      String pgUrl = System.getProperty("pg", "");
      if (!pgUrl.isBlank()) {
        // the database is migrated by its open, as Vigía's start does
        pg = PgDatabase.create(vertx, PgSettings.parse(pgUrl), 4);
        pg.open().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        postgres(vertx, pg, "warmup" + System.nanoTime(), workload);
      }
      // a running Vigía is a warm JVM: one round first, not counted, so the JIT has compiled it
      vigia(vertx, work.resolve("vigia-warmup"), workload);
      for (int round = 1; round <= rounds; round++) {
        Path folder = Files.createDirectories(work.resolve("baileys-" + round));
        baileysRounds.add(parse(node(baileys, script, "run", workloadFile.toString(),
            folder.toString())));
        vigiaRounds.add(vigia(vertx, work.resolve("vigia-" + round), workload));
        Map<String, Double> onPg = postgres(vertx, pg, "r" + round + "x" + System.nanoTime(),
            workload);
        if (onPg != null) {
          pgRounds.add(onPg);
        }
        vigiaRounds.get(vigiaRounds.size() - 1).put("fdatasyncMicros",
            fdatasyncMicros(work.resolve("fsync-" + round)));
        System.out.printf("round %d done%n", round);
      }
    } finally {
      if (pg != null) {
        pg.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    report(baileysRounds, vigiaRounds, pgRounds,
        repo.resolve("bench/target/store-throughput.json"));
  }

  /** Vigía's file store on a fresh data dir. */
  private static Map<String, Double> vigia(Vertx vertx, Path dataDir, Workload w) throws Exception {
    Files.createDirectories(dataDir);
    return vigia(vertx, new FileAuthStateStore(vertx, dataDir, Clock.systemUTC()), "", w);
  }

  /**
   * Vigía's PostgreSQL store (its orgs named after {@code round}, so each round starts empty),
   * or null without {@code -Dpg}.
   */
  private static Map<String, Double> postgres(Vertx vertx, PgDatabase db, String round,
      Workload w) throws Exception {
    if (db == null) {
      return null;
    }
    Map<String, Double> rates = vigia(vertx,
        new PgAuthStateStore(vertx, db.pool(), Clock.systemUTC()), round + "-", w);
    rates.remove("filesSyncedAfterMs"); // nothing is written after the acknowledgement
    return rates;
  }

  /** One of Vigía's stores, the calls made from an event loop as the engine makes them. */
  private static Map<String, Double> vigia(Vertx vertx, AuthStateStore store, String prefix,
      Workload w) throws Exception {
    Promise<Map<String, Double>> result = Promise.promise();
    // the file store opens and closes (its log and threads); PostgreSQL's pool is the database's
    FileAuthStateStore file = store instanceof FileAuthStateStore f ? f : null;
    vertx.runOnContext(v -> (file == null ? Future.<Void>succeededFuture() : file.open())
        .compose(x -> store.openWriter(prefix + ORG)).compose(writer -> {
      Map<String, Double> rates = new LinkedHashMap<>();
      long[] start = {System.nanoTime()};
      return sequence(w.preKeyBatches.size(), i -> writer.setKeys(Map.of("pre-key",
              w.preKeyBatches.get(i))))
          .compose(x -> {
            rates.put("preKeyKeysPerSec", perSecond(w.preKeyCount(), start));
            return sequence(w.sessions.size(), i -> writer.setKeys(Map.of("session",
                Map.of(w.sessions.get(i)[0], w.sessions.get(i)[1]))));
          })
          .compose(x -> {
            rates.put("sessionWritesPerSec", perSecond(w.sessions.size(), start));
            return sequence(w.credsSaves, i -> writer.writeCreds(w.creds));
          })
          .compose(x -> {
            rates.put("credsSavesPerSec", perSecond(w.credsSaves, start));
            List<Future<Void>> orgs = new ArrayList<>();
            for (int o = 0; o < ORGS; o++) {
              int org = o;
              orgs.add(store.openWriter(prefix + "org-" + o).compose(ow -> sequence(
                  (w.sessions.size() - org + ORGS - 1) / ORGS, i -> {
                    String[] s = w.sessions.get(org + i * ORGS);
                    return ow.setKeys(Map.of("session", Map.of(s[0], s[1])));
                  })));
            }
            return Future.all(orgs);
          })
          .compose(x -> {
            rates.put("sessionWrites20OrgsPerSec", perSecond(w.sessions.size(), start));
            // not in the rates: the background work after the last acknowledgement (every
            // file written and synced, the log retired), shown beside them
            return store.flush();
          })
          .compose(x -> {
            rates.put("filesSyncedAfterMs", (System.nanoTime() - start[0]) / 1e6);
            return file == null ? Future.<Void>succeededFuture() : file.close();
          })
          .map(x -> rates);
    }).onComplete(result));
    return result.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  /** The median time of 200 overwrites of 1 KiB in a zero-filled file, each + fdatasync. */
  private static double fdatasyncMicros(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("probe");
    List<Double> micros = new ArrayList<>();
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(1 << 20), 0);
      ch.force(true);
      for (int i = 0; i < 200; i++) {
        long start = System.nanoTime();
        ch.write(java.nio.ByteBuffer.allocate(1024), (long) i * 1024);
        ch.force(false);
        micros.add((System.nanoTime() - start) / 1e3);
      }
    }
    return median(micros);
  }

  /** Calls {@code call(0..n-1)} one after another, each after the previous one succeeded. */
  private static Future<Void> sequence(int n, IntFunction<Future<Void>> call) {
    Promise<Void> done = Promise.promise();
    step(0, n, call, done);
    return done.future();
  }

  private static void step(int i, int n, IntFunction<Future<Void>> call, Promise<Void> done) {
    if (i == n) {
      done.complete();
      return;
    }
    call.apply(i).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else {
        step(i + 1, n, call, done);
      }
    });
  }

  /** Per second since {@code start[0]}; restarts the clock for the next phase. */
  private static double perSecond(int count, long[] start) {
    long now = System.nanoTime();
    double rate = count / ((now - start[0]) / 1e9);
    start[0] = now;
    return rate;
  }

  private static void report(List<Map<String, Double>> baileys, List<Map<String, Double>> vigia,
      List<Map<String, Double>> pg, Path out) throws IOException {
    JsonObject json = new JsonObject();
    System.out.printf("%n%-26s %-32s %-32s %-16s%s%n", "workload (awaited)",
        "Baileys useMultiFileAuthState", "Vigía FileAuthStateStore", "file/Baileys",
        pg.isEmpty() ? "" : String.format("%-32s %s", "Vigía PgAuthStateStore", "PostgreSQL/Baileys"));
    for (String phase : PHASES) {
      List<Double> b = baileys.stream().map(r -> r.get(phase)).toList();
      List<Double> v = vigia.stream().map(r -> r.get(phase)).toList();
      double ratio = median(v) / median(b);
      JsonObject row = new JsonObject().put("baileys", b).put("vigia", v)
          .put("baileysMedian", median(b)).put("vigiaMedian", median(v)).put("ratio", ratio);
      String pgColumns = "";
      if (!pg.isEmpty()) {
        List<Double> p = pg.stream().map(r -> r.get(phase)).toList();
        double pgRatio = median(p) / median(b);
        pgColumns = String.format("%-32s %.2fx", rounds(p), pgRatio);
        row.put("postgres", p).put("postgresMedian", median(p)).put("postgresRatio", pgRatio);
      }
      System.out.printf("%-26s %-32s %-32s %-16s%s%n", phase, rounds(b), rounds(v),
          String.format("%.2fx", ratio), pgColumns);
      json.put(phase, row);
    }
    List<Double> syncs = vigia.stream().map(r -> r.get("fdatasyncMicros")).toList();
    System.out.printf("this disk, meanwhile: one fdatasync of 1 KiB takes %s µs (an awaited"
        + " durable write can not be faster)%n", rounds(syncs));
    json.put("fdatasyncMicros", syncs);
    List<Double> drains = vigia.stream().map(r -> r.get("filesSyncedAfterMs")).toList();
    System.out.printf("Vigía, after its last acknowledgement: every file written and synced, the"
        + " log retired, in %s ms%n", rounds(drains));
    json.put("vigiaFilesSyncedAfterMs", drains);
    Files.writeString(out, json.encodePrettily());
    System.out.println("(each round's rate, then [median]; written to " + out + ")");
  }

  private static String rounds(List<Double> rates) {
    StringBuilder s = new StringBuilder();
    for (double r : rates) {
      s.append(String.format("%,.0f ", r));
    }
    return s.append(String.format("[%,.0f]", median(rates))).toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String node(Path baileys, Path script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", script.toString(), baileys.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("node " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static Map<String, Double> parse(String line) throws IOException {
    JsonNode node = Json.mapper().readTree(line);
    Map<String, Double> rates = new LinkedHashMap<>();
    for (String phase : PHASES) {
      rates.put(phase, node.get(phase).asDouble());
    }
    return rates;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The workload as Baileys' JSON texts, read once. */
  private record Workload(List<Map<String, String>> preKeyBatches, List<String[]> sessions,
      JsonObject creds, int credsSaves) {

    static Workload read(Path file) throws IOException {
      JsonNode root = Json.mapper().readTree(file.toFile());
      List<Map<String, String>> batches = new ArrayList<>();
      for (JsonNode batch : root.get("preKeyBatches")) {
        Map<String, String> keys = new LinkedHashMap<>();
        batch.forEach(pair -> keys.put(pair.get(0).asText(), pair.get(1).asText()));
        batches.add(keys);
      }
      List<String[]> sessions = new ArrayList<>();
      root.get("sessions").forEach(pair ->
          sessions.add(new String[] {pair.get(0).asText(), pair.get(1).asText()}));
      return new Workload(batches, sessions, new JsonObject(root.get("creds").asText()),
          root.get("credsSaves").asInt());
    }

    int preKeyCount() {
      return preKeyBatches.stream().mapToInt(Map::size).sum();
    }
  }
}
