package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child JVM for {@link CrashSafeWritesTest}: overwrites the same keys in batches, forever. A
 * watcher thread looks at the org folder all the time: if it ever sees a key file that is not
 * whole it prints {@code HALF} and stops the JVM at once (so a non-atomic writer fails the test).
 * In mode {@code halt-on-temp} a crash is injected between write and rename (through
 * {@link AtomicFiles#beforeRenameForTests}) some writes after the first batch: the JVM halts with
 * a temp file written and not renamed. In mode {@code run} the parent kills it, after
 * {@code WROTE}.
 */
public final class KeyWriterChild {

  static final int KEYS = 25;
  /** Every value has exactly this many bytes, so a half-written file shows in its size. */
  static final int LENGTH = 64 * 1024;

  private KeyWriterChild() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      say("FAILED " + e);
      Runtime.getRuntime().halt(2); // Vert.x threads would keep the JVM alive
    }
  }

  private static void run(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String org = args[1];
    boolean haltOnTemp = "halt-on-temp".equals(args[2]);
    Vertx vertx = Vertx.vertx();
    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    Await.result(store.open());
    if (haltOnTemp) {
      java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
      int crashAt = 2 * KEYS + 1 + new java.util.Random().nextInt(2 * KEYS);
      AtomicFiles.beforeRenameForTests = () -> {
        if (writes.incrementAndGet() == crashAt) {
          say("HALTED with a temp file not yet renamed");
          Runtime.getRuntime().halt(137);
        }
      };
    }
    Thread watcher = new Thread(() -> watch(dataDir.resolve("auth_sessions").resolve(org)));
    watcher.setDaemon(true);
    watcher.start();
    for (long round = 0; ; round++) {
      Map<String, String> preKeys = new LinkedHashMap<>();
      Map<String, String> sessions = new LinkedHashMap<>();
      for (int i = 0; i < KEYS; i++) {
        preKeys.put(String.valueOf(i), value(round, i));
        sessions.put("52155500" + i + ".0", value(round, i));
      }
      Await.result(store.setKeys(org, Map.of("pre-key", preKeys, "session", sessions)));
      if (round == 0) {
        say("WROTE the first batch");
      }
    }
  }

  static String value(long round, int id) {
    String head = String.format("{\"round\":\"%012d\",\"id\":\"%06d\",\"pad\":\"", round, id);
    return head + "x".repeat(LENGTH - head.length() - 2) + "\"}";
  }

  private static void watch(Path org) {
    while (true) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(org)) {
        for (Path file : files) {
          if (AtomicFiles.isTemp(file)) {
            continue; // a temp file is never read as a key
          } else if (sizeOf(file) != LENGTH && sizeOf(file) >= 0) {
            say("HALF " + file.getFileName() + " has " + sizeOf(file) + " bytes");
            Runtime.getRuntime().halt(1);
          }
        }
      } catch (IOException notYet) {
        // the folder does not exist yet
      }
    }
  }

  private static long sizeOf(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException gone) {
      return -1;
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
