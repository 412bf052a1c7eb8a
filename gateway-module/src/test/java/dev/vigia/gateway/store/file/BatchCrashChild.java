package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link AllOrNothingBatchTest}: writes batch 1 of {@link #KEYS} pre-keys and
 * syncs it into its files ({@code BATCH1}), then writes batch 2 and halts in the middle of it:
 * in mode {@code before-sync} after its log entry is written and before the fsync; in mode
 * {@code mid-apply} after batch 2 was acknowledged, when half of its files are renamed into place.
 */
public final class BatchCrashChild {

  static final int KEYS = 200;

  private BatchCrashChild() {}

  public static void main(String[] args) {
    try {
      run(Path.of(args[0]), args[1]);
    } catch (Throwable e) {
      say("FAILED " + e);
      Runtime.getRuntime().halt(2);
    }
  }

  private static void run(Path dataDir, String mode) throws Exception {
    FileAuthStateStore store = new FileAuthStateStore(Vertx.vertx(), dataDir, Clock.systemUTC());
    Await.result(store.open());
    Await.result(store.setKeys("2", Map.of("pre-key", batch(1))));
    Await.result(store.flush());
    say("BATCH1");
    if (mode.equals("before-sync")) {
      AuthLog.beforeSyncForTests = () -> halt("HALTED before the log fsync");
    } else {
      AtomicInteger renames = new AtomicInteger();
      AtomicFiles.beforeRenameForTests = () -> {
        if (renames.incrementAndGet() == KEYS / 2) {
          halt("HALTED with half of batch 2 in its files");
        }
      };
    }
    Await.result(store.setKeys("2", Map.of("pre-key", batch(2))));
    say("ACKED batch 2");
    Thread.sleep(60_000); // the lanes halt the JVM before this ends
    say("FAILED: never halted");
  }

  static Map<String, String> batch(int round) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 1; i <= KEYS; i++) {
      keys.put(String.valueOf(i), "{\"round\":" + round + ",\"id\":" + i + "}");
    }
    return keys;
  }

  private static void halt(String line) {
    say(line);
    Runtime.getRuntime().halt(137);
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
