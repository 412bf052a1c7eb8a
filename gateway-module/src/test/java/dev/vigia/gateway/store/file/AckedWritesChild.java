package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.Await;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child JVM for {@link AcknowledgedWriteSurvivesKillTest}: through one writer, forever, writes a
 * batch of {@link #KEYS} pre-keys then the creds, both carrying the round, and prints
 * {@code ACK <round>} once both are acknowledged. The parent kills it with SIGKILL.
 */
public final class AckedWritesChild {

  static final int KEYS = 300;

  private AckedWritesChild() {}

  public static void main(String[] args) {
    try {
      run(Path.of(args[0]));
    } catch (Throwable e) {
      System.out.println("FAILED " + e);
      System.out.flush();
      Runtime.getRuntime().halt(2);
    }
  }

  private static void run(Path dataDir) throws Exception {
    FileAuthStateStore store = new FileAuthStateStore(Vertx.vertx(), dataDir, Clock.systemUTC());
    Await.result(store.open());
    AuthStateWriter writer = Await.result(store.openWriter("2"));
    for (int round = 1; ; round++) {
      Map<String, String> keys = new LinkedHashMap<>();
      for (int i = 1; i <= KEYS; i++) {
        keys.put(String.valueOf(i), "{\"round\":" + round + ",\"pad\":\"" + "k".repeat(100) + "\"}");
      }
      Await.result(writer.setKeys(Map.of("pre-key", keys)));
      Await.result(writer.writeCreds(new JsonObject().put("registrationId", round)));
      System.out.println("ACK " + round);
      System.out.flush();
    }
  }
}
