package dev.vigia.bench;

import dev.vigia.common.Json;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Issue 12, goal 4: {@code kill -9} of a writer during heavy key writes, round after round, and
 * what the next start finds. In each round the same writes go through Baileys'
 * {@code useMultiFileAuthState} (Node, {@code bench/baileys-crash.mjs}) and through Vigía's
 * {@link FileAuthStateStore} (a child JVM, {@link CrashWriter}), each killed with SIGKILL after the
 * same random time (from a fixed seed). Then each folder is opened the way its library opens it
 * at start: Vigía's store is opened (it replays its write-ahead log) and every acknowledged key
 * read back through it, then every file of the org's folder is parsed; Baileys' folder goes through
 * {@code useMultiFileAuthState} and a {@code JSON.parse} of every file. Counted: files that do not
 * parse, and keys whose acknowledged value is gone (missing, or older than the last value the
 * writer was told was written).
 *
 * <p>A kill keeps what the kernel already has (the page cache survives it): this measures a
 * process crash, not a power cut, where unsynced writes would be lost as well.
 *
 * <pre>
 * (cd whatsapp-loopback &amp;&amp; npm ci --ignore-scripts)
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.vigia.bench.CrashSafety \
 *     [rounds: 100] [longest write time per round, ms: 1000]
 * </pre>
 * Writes {@code bench/target/crash-safety.json}.
 */
public final class CrashSafety {

  private static final long SEED = 12;

  private CrashSafety() {}

  /** What one library left after one kill. */
  record Outcome(int acknowledged, int files, List<String> unreadable, List<String> lost) {
    JsonObject json() {
      return new JsonObject().put("acknowledgedKeys", acknowledged).put("files", files)
          .put("unreadable", new JsonArray(unreadable)).put("lost", new JsonArray(lost));
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int maxMillis = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path repo = Path.of("").toAbsolutePath();
    Path baileys = repo.resolve(
        "whatsapp-loopback/node_modules/@whiskeysockets/baileys/lib/index.js");
    Path script = repo.resolve("bench/baileys-crash.mjs");
    if (!Files.isRegularFile(baileys)) {
      System.err.println("run from the repository root, after"
          + " (cd whatsapp-loopback && npm ci --ignore-scripts)");
      System.exit(2);
    }
    Path work = DataDirs.work("crash-safety");
    DataDirs.deleteTree(work);
    Files.createDirectories(work);
    Random random = new Random(SEED);
    List<Outcome> vigia = new ArrayList<>();
    List<Outcome> baileysOutcomes = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    double loadStart = VigiaProcess.loadAverage();
    Vertx vertx = Vertx.vertx();
    try {
      for (int round = 1; round <= rounds; round++) {
        // at least a fifth of the longest time, so every round has written something
        long delay = maxMillis / 5 + random.nextInt(Math.max(1, maxMillis - maxMillis / 5));
        delays.add(delay);
        Path folder = Files.createDirectories(work.resolve("baileys-" + round));
        Path data = Files.createDirectories(work.resolve("vigia-" + round));
        // both at once (each killed the same time after its own "ready"): half the wall time,
        // and whatever else runs on the machine weighs on both alike
        CompletableFuture<Map<String, Integer>> baileysRun = CompletableFuture.supplyAsync(
            () -> killDuringWrites(List.of("node", script.toString(), baileys.toString(),
                "write", folder.toString()), delay));
        Map<String, Integer> acks = killDuringWrites(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            // a short-lived writer: the quick JIT and one GC thread start it sooner
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), CrashWriter.class.getName(), data.toString()),
            delay);
        Map<String, Integer> baileysAcks = baileysRun.get(2, TimeUnit.MINUTES);
        vigia.add(reopenVigia(vertx, data, acks));
        baileysOutcomes.addAll(reopenBaileys(baileys, script, List.of(folder),
            List.of(baileysAcks)));
        // only the folders that show something are kept (thousands of files a round)
        Outcome b = baileysOutcomes.get(baileysOutcomes.size() - 1);
        Outcome v = vigia.get(vigia.size() - 1);
        DataDirs.deleteTree(work.resolve("baileys-" + round + "-warmup"));
        if (b.unreadable().isEmpty() && b.lost().isEmpty()) {
          DataDirs.deleteTree(folder);
        }
        if (v.unreadable().isEmpty() && v.lost().isEmpty()) {
          DataDirs.deleteTree(data);
        }
        // kept as it goes: a run cut short still tells what its rounds found
        progress(work.resolveSibling("crash-safety-progress.json"), baileysOutcomes, vigia);
        if (round % 10 == 0) {
          System.out.printf("round %d of %d (load %.1f): unreadable files so far, Baileys %d,"
              + " Vigía %d%n", round, rounds, VigiaProcess.loadAverage(),
              baileysOutcomes.stream().mapToLong(o -> o.unreadable().size()).sum(),
              vigia.stream().mapToLong(o -> o.unreadable().size()).sum());
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    report(rounds, maxMillis, delays, loadStart, baileysOutcomes, vigia);
  }

  /**
   * Starts a writer, waits for its {@code ready}, kills it with SIGKILL {@code delayMillis} later,
   * and returns the last acknowledged seq of every file it wrote ({@code <type>-<id>.json}).
   */
  private static Map<String, Integer> killDuringWrites(List<String> command, long delayMillis) {
    try {
      return killDuringWritesOrFail(command, delayMillis);
    } catch (Exception e) {
      throw new IllegalStateException(command.get(0) + " writer: " + e, e);
    }
  }

  private static Map<String, Integer> killDuringWritesOrFail(List<String> command,
      long delayMillis) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String first = firstLine(p);
    if (!"ready".equals(first)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " writer did not start: " + first);
    }
    // read as it comes: a full pipe would stall the writer
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        p.getInputStream().transferTo(bytes);
      } catch (IOException closed) {
        // the pipe ends with the process
      }
    });
    reader.start();
    Thread.sleep(delayMillis);
    p.destroyForcibly(); // SIGKILL on Linux
    p.waitFor(30, TimeUnit.SECONDS);
    reader.join(30_000);
    String text = bytes.toString(StandardCharsets.UTF_8);
    Map<String, Integer> acks = new HashMap<>();
    // every line printed before the kill is still in the pipe; a line cut by the kill (no
    // newline after it) is not an acknowledgement
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      String[] f = line.split(" ");
      if (f.length != 3) {
        continue;
      }
      int seq = Integer.parseInt(f[0]);
      for (String id : f[2].split(",")) {
        acks.put("creds".equals(f[1]) ? "creds.json" : f[1] + "-" + id + ".json", seq);
      }
    }
    return acks;
  }

  /** The writer's first line, read byte by byte so nothing after it is taken from the pipe. */
  private static String firstLine(Process p) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = p.getInputStream().read(); c != -1 && c != '\n'; c = p.getInputStream().read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Vigía's start: open the store (replays the log), read every acknowledged key through it. */
  private static Outcome reopenVigia(Vertx vertx, Path data, Map<String, Integer> acks)
      throws Exception {
    FileAuthStateStore store = new FileAuthStateStore(vertx, data, Clock.systemUTC());
    Map<String, Integer> stored = new HashMap<>();
    Future<Void> checked = store.open().compose(v -> store.readCreds(CrashWriter.ORG))
        .compose(creds -> {
          if (creds != null) {
            stored.put("creds.json", creds.getInteger("seq"));
          }
          List<Future<?>> reads = new ArrayList<>();
          for (String type : List.of("pre-key", "session")) {
            List<String> ids = acks.keySet().stream().filter(f -> f.startsWith(type + "-"))
                .map(f -> f.substring(type.length() + 1, f.length() - ".json".length()))
                .toList();
            reads.add(store.getKeys(CrashWriter.ORG, type, ids).onSuccess(values ->
                values.forEach((id, value) -> {
                  if (value != null) {
                    stored.put(type + "-" + id + ".json", new JsonObject(value).getInteger("seq"));
                  }
                })));
          }
          return Future.all(reads);
        })
        .compose(v -> store.close());
    checked.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    // then every file of the folder as an engine (or an import into Baileys) would read it
    Path folder = data.resolve(FileAuthStateStore.SESSIONS_DIR).resolve(CrashWriter.ORG);
    List<String> unreadable = new ArrayList<>();
    int files = 0;
    if (Files.isDirectory(folder)) {
      try (Stream<Path> all = Files.list(folder)) {
        for (Path f : all.toList()) {
          files++;
          try {
            Json.mapper().readTree(f.toFile());
          } catch (IOException e) {
            unreadable.add(f.getFileName().toString());
          }
        }
      }
    }
    return new Outcome(acks.size(), files, unreadable, lost(acks, stored));
  }

  /** Baileys' start, for every round's folder in one Node process. */
  private static List<Outcome> reopenBaileys(Path baileys, Path script, List<Path> folders,
      List<Map<String, Integer>> acks) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", script.toString(),
        baileys.toString(), "check"));
    folders.forEach(f -> command.add(f.toString()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = Arrays.asList(new String(p.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8).trim().split("\n"));
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || lines.size() != folders.size()) {
      throw new IllegalStateException("node check failed");
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < folders.size(); i++) {
      JsonObject r = new JsonObject(lines.get(i));
      Map<String, Integer> stored = new HashMap<>();
      r.getJsonObject("seqs").forEach(e -> {
        if (e.getValue() instanceof Number n) {
          stored.put(e.getKey(), n.intValue());
        }
      });
      // creds.json parsed, yet useMultiFileAuthState started without it: what it really uses
      stored.remove("creds.json");
      if (r.getValue("credsSeq") instanceof Number n) {
        stored.put("creds.json", n.intValue());
      }
      List<String> unreadable = r.getJsonArray("unreadable").stream().map(String::valueOf)
          .toList();
      outcomes.add(new Outcome(acks.get(i).size(), r.getInteger("files"), unreadable,
          lost(acks.get(i), stored)));
    }
    return outcomes;
  }

  private static void progress(Path file, List<Outcome> baileys, List<Outcome> vigia)
      throws IOException {
    Files.writeString(file, new JsonObject()
        .put("baileys", new JsonArray(baileys.stream().map(Outcome::json).toList()))
        .put("vigia", new JsonArray(vigia.stream().map(Outcome::json).toList())).encode());
  }

  /** Acknowledged files whose value is missing or older than the one acknowledged. */
  private static List<String> lost(Map<String, Integer> acks, Map<String, Integer> stored) {
    return acks.entrySet().stream()
        .filter(a -> stored.get(a.getKey()) == null || stored.get(a.getKey()) < a.getValue())
        .map(Map.Entry::getKey).sorted().toList();
  }

  private static void report(int rounds, int maxMillis, List<Long> delays, double loadStart,
      List<Outcome> baileys, List<Outcome> vigia) throws IOException {
    Report report = new Report("crash-safety", "%-34s %7s %12s %12s %11s %13s %11s %12s %11s",
        "store", "rounds", "acked keys", "files left", "unreadable", "rounds unread",
        "keys lost", "rounds lost", "creds lost");
    report.run().put("rounds", rounds).put("maxWriteMillis", maxMillis).put("delaysMillis",
        new JsonArray(delays)).put("loadAverageAtStart", loadStart);
    row(report, "Baileys useMultiFileAuthState", baileys);
    row(report, "Vigía FileAuthStateStore", vigia);
    System.out.printf("load average %.1f at the start, %.1f at the end; written to %s%n",
        loadStart, VigiaProcess.loadAverage(), report.file());
  }

  private static void row(Report report, String name, List<Outcome> outcomes) throws IOException {
    long acked = outcomes.stream().mapToLong(Outcome::acknowledged).sum();
    long files = outcomes.stream().mapToLong(Outcome::files).sum();
    long unreadable = outcomes.stream().mapToLong(o -> o.unreadable().size()).sum();
    long roundsUnreadable = outcomes.stream().filter(o -> !o.unreadable().isEmpty()).count();
    long lost = outcomes.stream().mapToLong(o -> o.lost().size()).sum();
    long roundsLost = outcomes.stream().filter(o -> !o.lost().isEmpty()).count();
    long credsLost = outcomes.stream().filter(o -> o.lost().contains("creds.json")
        || o.unreadable().contains("creds.json")).count();
    JsonObject json = new JsonObject().put("store", name).put("acknowledgedKeys", acked)
        .put("filesLeft", files).put("unreadableFiles", unreadable)
        .put("roundsWithUnreadable", roundsUnreadable).put("acknowledgedKeysLost", lost)
        .put("roundsWithLoss", roundsLost).put("roundsCredsLost", credsLost)
        .put("perRound", new JsonArray(outcomes.stream().map(Outcome::json).toList()));
    report.row(json, name, outcomes.size(), acked, files, unreadable, roundsUnreadable, lost,
        roundsLost, credsLost);
  }
}
