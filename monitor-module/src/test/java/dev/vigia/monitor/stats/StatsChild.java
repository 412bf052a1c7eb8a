package dev.vigia.monitor.stats;

import dev.vigia.common.Json;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.monitor.MonitorSettings;
import dev.vigia.monitor.MonitorVerticle;
import dev.vigia.monitor.journal.FileJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link StatsCrashTest}: the real monitor on a data dir, fed a steady stream of
 * "message sent" activity (as the gateway publishes after each send) while it is asked for the
 * org's stats every few milliseconds; each answer is printed as {@code SHOWN <sent>}. The parent
 * kills it with SIGKILL at a random moment.
 */
public final class StatsChild {

  static final String ORG = "2";

  private StatsChild() {}

  public static void main(String[] args) throws Exception {
    try {
      run(Path.of(args[0]));
    } catch (Throwable e) {
      System.out.println("FAILED " + e);
      Runtime.getRuntime().halt(2); // Vert.x threads would keep the JVM alive
    }
  }

  private static void run(Path dataDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    VigiaConfig config = VigiaConfig.defaultsOnly().with("VIGIA_DATA_DIR", dataDir.toString());
    vertx.deployVerticle(new MonitorVerticle(config, new FileJournal(vertx, dataDir),
            Clock.systemUTC(), new SplittableRandom(1), MonitorSettings.defaults(), null, dataDir))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    BlockingQueue<Long> shown = new LinkedBlockingQueue<>();
    // about a thousand sends a second: a rate the monitor keeps up with, so answers are current
    vertx.setPeriodic(1, id -> vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(
        new Activity(ORG, Activity.MESSAGE_SENT, null, null, Instant.now()))));
    vertx.setPeriodic(7, id -> vertx.eventBus()
        .<JsonObject>request(StatsQuery.ADDRESS, Json.toJson(new StatsQuery(ORG, 2)))
        .onSuccess(reply -> shown.add(Json.fromJson(reply.body(), StatsPage.class).days()
            .stream().mapToLong(StatsPage.Day::sent).sum())));
    System.out.println("STARTED");
    System.out.flush();
    while (true) {
      // printed off the event loop; a number printed is one the monitor has answered
      System.out.println("SHOWN " + shown.take());
      System.out.flush();
    }
  }
}
