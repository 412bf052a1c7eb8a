package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the store was built on the main thread and its results arrived on another event loop,
 * where the gateway then changed its state. Built the same way here, every operation called from
 * a verticle's context answers on that context, whichever context opened the store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResultsOnTheCallersContextTest {

  @TempDir
  Path dataDir;
  @TempDir
  Path folder;

  private FileAuthStateStore store;

  @AfterEach
  void close() throws Exception {
    result(store.close());
  }

  @Test
  void everyResultArrivesOnTheContextOfItsCaller(Vertx vertx) throws Exception {
    store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC()); // on the test thread, as main() does
    Context opener = vertx.getOrCreateContext();
    Context gateway = vertx.getOrCreateContext();
    assertNotSame(opener, gateway);
    Files.writeString(folder.resolve("creds.json"), new JsonObject()
        .put("noiseKey", new JsonObject()).put("signedIdentityKey", new JsonObject())
        .put("signedPreKey", new JsonObject()).put("registrationId", 7)
        .put("advSecretKey", "c2VjcmV0").encode());

    Map<String, Supplier<Future<?>>> calls = new LinkedHashMap<>();
    calls.put("readCreds before open", () -> store.readCreds("2"));
    calls.put("open", () -> store.open());
    calls.put("writeCreds", () -> store.writeCreds("2", new JsonObject().put("registrationId", 2)));
    calls.put("setKeys", () -> store.setKeys("2", Map.of("pre-key", Map.of("1", "{}"))));
    calls.put("getKeys", () -> store.getKeys("2", "pre-key", List.of("1")));
    calls.put("readCreds", () -> store.readCreds("2"));
    calls.put("keyIds", () -> store.keyIds("2", "pre-key", ""));
    calls.put("list", () -> store.list());
    calls.put("probe", () -> store.probe());
    calls.put("writer", () -> store.openWriter("2").compose((AuthStateWriter w) ->
        w.setKeys(Map.of("session", Map.of("1.0", "{}")))));
    
    calls.put("flush", () -> store.flush());
    calls.put("clear", () -> store.clear("2", "test"));
    calls.put("import", () -> store.importBaileysFolder("4", folder));
    calls.put("purgeArchives", () -> store.purgeArchives(Instant.now().minusSeconds(60)));
    calls.put("failed write", () -> store.setKeys("2", Map.of("pre-key", Map.of("1", "{"))));

    List<String> wrong = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, Supplier<Future<?>>> call : calls.entrySet()) {
      // the first call (which opens the store) from one context, all others from another
      Context caller = first ? opener : gateway;
      first = false;
      CompletableFuture<Context> answeredOn = new CompletableFuture<>();
      caller.runOnContext(v -> call.getValue().get()
          .onComplete(ar -> answeredOn.complete(Vertx.currentContext())));
      if (answeredOn.get(20, TimeUnit.SECONDS) != caller) {
        wrong.add(call.getKey());
      }
    }
    assertEquals(List.of(), wrong, "answered off the caller's context");
  }
}
