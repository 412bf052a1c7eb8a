package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child JVM for {@link CrashSafeWritesTest}: overwrites the same keys in batches, forever, and
 * prints {@code WRITING} after its first batch; the parent kills it mid-loop.
 */
public final class KeyWriterChild {

  static final int KEYS = 40;
  static final int PAD = 6000;

  private KeyWriterChild() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FileAuthStateStore store = new FileAuthStateStore(vertx, Path.of(args[0]), Clock.systemUTC());
    String pad = "x".repeat(PAD);
    for (long round = 0; ; round++) {
      Map<String, String> preKeys = new LinkedHashMap<>();
      Map<String, String> sessions = new LinkedHashMap<>();
      for (int i = 0; i < KEYS; i++) {
        preKeys.put(String.valueOf(i), value(round, i, pad));
        sessions.put("52155500" + i + ".0", value(round, i, pad));
      }
      Await.result(store.setKeys(args[1], Map.of("pre-key", preKeys, "session", sessions)));
      if (round == 0) {
        System.out.println("WRITING");
        System.out.flush();
      }
    }
  }

  static String value(long round, int id, String pad) {
    return "{\"round\":" + round + ",\"id\":" + id + ",\"pad\":\"" + pad + "\"}";
  }
}
