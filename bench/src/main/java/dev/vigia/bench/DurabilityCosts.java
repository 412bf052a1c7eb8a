package dev.vigia.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The options of issue 13, measured on this disk with a Baileys pre-key upload (812 files of
 * 164 bytes): what it costs per key to make a batch durable and whole, each way. The file store
 * keeps the cheapest that is crash-atomic (the write-ahead log; see AuthLog).
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.vigia.bench.DurabilityCosts [dir]
 * </pre>
 */
public final class DurabilityCosts {

  private static final int KEYS = 812;
  private static final int ROUNDS = 3;
  private static final byte[] VALUE = ("{\"private\":{\"type\":\"Buffer\",\"data\":\"uDGafvopMrJ3W9"
      + "AKSzpclFA6X4NKfCCoxWPfkj8XQXo=\"},\"public\":{\"type\":\"Buffer\",\"data\":\"12iAr5smgu"
      + "/bW7GHbz9Vg1CK48Y+UHy6P2WqJZK4Fgc=\"}}").getBytes(StandardCharsets.UTF_8);

  private DurabilityCosts() {}

  public static void main(String[] args) throws Exception {
    Path root = Files.createDirectories(Path.of(args.length > 0 ? args[0]
        : "bench/target/durability-costs"));
    ExecutorService syncers = Executors.newFixedThreadPool(8);
    try {
      System.out.println("per key, a batch of " + KEYS + " files (median of " + ROUNDS + "):");
      report("temp + fsync + rename + folder fsync, per key (the store before)",
          root, dir -> perKey(dir));
      report("all temps, fsync each (8 threads), rename all, one folder fsync",
          root, dir -> perBatch(dir, syncers));
      report("one log append + fdatasync (preallocated log), then files unsynced",
          root, dir -> logged(dir));
      report("  of which: the log append + fdatasync alone (the acknowledgement)",
          root, dir -> logOnly(dir));
      report("files written unsynced (temp + rename; Baileys writes in place)",
          root, dir -> unsynced(dir));
    } finally {
      syncers.shutdown();
    }
  }

  /** Writes the batch into {@code dir}; returns the nanoseconds that count. */
  private interface Way {
    long write(Path dir) throws Exception;
  }

  private static void report(String what, Path root, Way way) throws Exception {
    List<Double> micros = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      Path dir = Files.createTempDirectory(root, "d");
      micros.add(way.write(dir) / 1e3 / KEYS);
    }
    micros.sort(Double::compare);
    System.out.printf("%8.1f µs/key  %s%n", micros.get(ROUNDS / 2), what);
  }

  private static long perKey(Path dir) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < KEYS; i++) {
      Path temp = dir.resolve(".tmp-" + i);
      write(temp, VALUE, true);
      Files.move(temp, dir.resolve("pre-key-" + i + ".json"), StandardCopyOption.ATOMIC_MOVE);
      fsync(dir);
    }
    return System.nanoTime() - start;
  }

  private static long perBatch(Path dir, ExecutorService syncers) throws Exception {
    long start = System.nanoTime();
    List<Future<?>> syncs = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      Path temp = dir.resolve(".tmp-" + i);
      write(temp, VALUE, false);
      syncs.add(syncers.submit(() -> {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ)) {
          ch.force(true);
        }
        return null;
      }));
    }
    for (Future<?> sync : syncs) {
      sync.get();
    }
    for (int i = 0; i < KEYS; i++) {
      Files.move(dir.resolve(".tmp-" + i), dir.resolve("pre-key-" + i + ".json"),
          StandardCopyOption.ATOMIC_MOVE);
    }
    fsync(dir);
    return System.nanoTime() - start;
  }

  private static long logged(Path dir) throws IOException {
    return logOnly(dir) + unsynced(dir);
  }

  private static long logOnly(Path dir) throws IOException {
    Path log = dir.resolve("log");
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1 << 20), 0);
      ch.force(true);
    }
    ByteBuffer batch = ByteBuffer.allocate(KEYS * (VALUE.length + 32));
    for (int i = 0; i < KEYS; i++) {
      batch.put(("pre-key-" + i + ".json").getBytes(StandardCharsets.UTF_8)).put(VALUE);
    }
    batch.flip();
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      long start = System.nanoTime(); // zeros are written once per 4 MiB segment, not per batch
      ch.write(batch, 0);
      ch.force(false);
      return System.nanoTime() - start;
    }
  }

  private static long unsynced(Path dir) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < KEYS; i++) {
      Path temp = dir.resolve(".tmp-u" + i);
      write(temp, VALUE, false);
      Files.move(temp, dir.resolve("pre-key-" + i + ".json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    return System.nanoTime() - start;
  }

  private static void write(Path file, byte[] bytes, boolean sync) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes));
      if (sync) {
        ch.force(true);
      }
    }
  }

  private static void fsync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
