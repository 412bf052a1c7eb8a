package dev.vigia.monitor.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.storage.ChildJvm;
import dev.vigia.monitor.MonitorSettings;
import dev.vigia.monitor.MonitorVerticle;
import dev.vigia.monitor.journal.FileJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor killed with SIGKILL while messages are being counted keeps every count it had shown:
 * after the restart the stats are never below the last number a stats query answered. Before the
 * counter log, the file was rewritten at most every 500 ms, and a kill lost that window.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatsCrashTest {

  @TempDir Path dataDir;

  @Test
  void everyCountTheMonitorShowedSurvivesAKillDashNine() throws Exception {
    Random random = new Random(7);
    for (int round = 1; round <= 3; round++) {
      long lastShown;
      try (ChildJvm child = ChildJvm.start(StatsChild.class, dataDir.toString())) {
        child.awaitLine(Duration.ofSeconds(60), "STARTED");
        long first = shown(child.awaitLine(Duration.ofSeconds(30), "SHOWN"));
        long seen = first;
        // counting under way for a while, then the kill lands at a random moment
        while (seen < first + 300) {
          seen = shown(child.awaitLine(Duration.ofSeconds(30), "SHOWN"));
        }
        Thread.sleep(random.nextInt(300)); // the test thread, not an event loop
        lastShown = seen;
        for (String line : child.kill()) {
          if (line.startsWith("SHOWN ")) {
            lastShown = Math.max(lastShown, shown(line));
          }
        }
      }
      long onDisk = sentAfterRestart();
      System.out.printf("stats crash round %d: last shown %d, after the restart %d%n", round,
          lastShown, onDisk);
      assertTrue(onDisk >= lastShown, "round " + round + ": the monitor had shown " + lastShown
          + " sent; after a kill -9 and a restart it has " + onDisk);
    }
  }

  private static long shown(String line) {
    return Long.parseLong(line.substring("SHOWN ".length()).trim());
  }

  /** What a new monitor on the same data dir answers. */
  private long sentAfterRestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      VigiaConfig config = VigiaConfig.defaultsOnly().with("VIGIA_DATA_DIR", dataDir.toString());
      vertx.deployVerticle(new MonitorVerticle(config, new FileJournal(vertx, dataDir),
              Clock.systemUTC(), new SplittableRandom(1), MonitorSettings.defaults(), null,
              dataDir))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      JsonObject page = vertx.eventBus().<JsonObject>request(StatsQuery.ADDRESS,
              Json.toJson(new StatsQuery(StatsChild.ORG, 2)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).body();
      List<Long> sent = new ArrayList<>();
      Json.fromJson(page, StatsPage.class).days().forEach(d -> sent.add(d.sent()));
      return sent.stream().mapToLong(Long::longValue).sum();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
