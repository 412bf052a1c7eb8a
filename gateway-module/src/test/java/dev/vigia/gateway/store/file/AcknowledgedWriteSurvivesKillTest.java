package dev.vigia.gateway.store.file;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.storage.ChildJvm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store acknowledged is there after a {@code kill -9}, even when its files were not yet
 * written: a process is killed (SIGKILL) while it writes, and a new store finds every key and the
 * creds at least as new as the last acknowledgement the process printed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AcknowledgedWriteSurvivesKillTest {

  private static final Logger LOG = LoggerFactory.getLogger(AcknowledgedWriteSurvivesKillTest.class);

  private static final int ROUNDS = 3;

  @TempDir
  Path dataDir;

  /**
   * The replay path is what this proves, so a round counts only when the files were behind the
   * acknowledgements at the kill. On a loaded machine the files can catch up before the signal
   * lands; such a round is still checked, and another one runs (at most {@value #ROUNDS}).
   */
  @Test
  void everyAcknowledgedWriteIsThereAfterAKill9(Vertx vertx) throws Exception {
    boolean replayed = false;
    for (int round = 1; round <= ROUNDS && !replayed; round++) {
      replayed = killAndCheck(vertx, dataDir.resolve("round-" + round));
    }
    assertTrue(replayed, "in " + ROUNDS + " rounds the files never lagged behind the "
        + "acknowledgements at the kill: the log's replay was not exercised");
  }

  private boolean killAndCheck(Vertx vertx, Path dir) throws Exception {
    Files.createDirectories(dir);
    int acked;
    try (ChildJvm child = ChildJvm.start(AckedWritesChild.class, dir.toString())) {
      String line = child.awaitLine(Duration.ofSeconds(60), "ACK 30", "FAILED");
      assertTrue(line.startsWith("ACK"), line);
      child.kill();
      acked = child.lastNumberAfter("ACK ");
    }
    Path org = dir.resolve("auth_sessions/2");
    Path lastKey = org.resolve("pre-key-" + AckedWritesChild.KEYS + ".json");
    int credsInFile = Files.exists(org.resolve("creds.json"))
        ? new JsonObject(Files.readString(org.resolve("creds.json"))).getInteger("registrationId")
        : 0;
    int keyInFile = Files.exists(lastKey)
        ? Json.mapper().readTree(lastKey.toFile()).get("round").asInt() : 0;
    LOG.warn("killed after ACK {}; the files had creds {} and keys {}", acked, credsInFile,
        keyInFile);
    boolean lagged = credsInFile < acked || keyInFile < acked;

    FileAuthStateStore store = new FileAuthStateStore(vertx, dir, Clock.systemUTC());
    try {
      result(store.open());
      int creds = result(store.readCreds("2")).getInteger("registrationId");
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= AckedWritesChild.KEYS; i++) {
        ids.add(String.valueOf(i));
      }
      Map<String, String> keys = result(store.getKeys("2", "pre-key", ids));
      TreeSet<Integer> rounds = new TreeSet<>();
      for (String value : keys.values()) {
        rounds.add(Json.mapper().readTree(value).get("round").asInt());
      }
      assertEquals(AckedWritesChild.KEYS, keys.size());
      assertEquals(1, rounds.size(), "one batch, whole: " + rounds);
      assertTrue(rounds.first() >= acked, "keys of round " + rounds.first() + " after ACK " + acked);
      assertTrue(creds >= acked, "creds of round " + creds + " after ACK " + acked);
    } finally {
      result(store.close());
    }
    return lagged;
  }
}
