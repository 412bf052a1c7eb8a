package dev.vigia.monitor.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.metrics.MonitorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link DailyCounts} must do (files, PostgreSQL), driven as the monitor drives it:
 * from one event loop. A concrete test says how to make the counts over empty storage and over
 * the same storage again (a restart).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class DailyCountsContractTest {

  static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
  static final LocalDate DAY = LocalDate.parse("2026-03-01");

  protected Vertx vertx;
  protected final ManualClock clock = new ManualClock(NOON);
  protected final MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
  protected Context loop;
  protected DailyCounts counts;

  /** Counts over empty storage. */
  protected abstract DailyCounts newCounts(Vertx vertx) throws Exception;

  /** Counts over the same storage (a restart). */
  protected abstract DailyCounts reopen(Vertx vertx) throws Exception;

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    loop = vertx.getOrCreateContext();
    counts = newCounts(vertx);
    onLoop(() -> counts.load());
  }

  @Test
  void countsSurviveARestartPerOrgAndKind() throws Exception {
    onLoop(() -> {
      for (int i = 0; i < 3; i++) {
        counts.sent("2");
      }
      counts.failed("2");
      counts.reconnect("2");
      counts.reconnect("2");
      counts.sent("4");
      return counts.close();
    });
    DailyCounts again = reopen(vertx);
    onLoop(again::load);
    assertEquals(List.of(new StatsPage.Day(DAY, 3, 1, 2)),
        onLoop(() -> again.page("2", 1)).days());
    assertEquals(List.of(new StatsPage.Day(DAY, 1, 0, 0)),
        onLoop(() -> again.page("4", 1)).days());
    assertEquals(List.of(new StatsPage.Day(DAY, 0, 0, 0)),
        onLoop(() -> again.page("7", 1)).days(), "an org never counted has zeros");
    onLoop(again::close);
  }

  @Test
  void aPageIsOneRowPerUtcDayOldestFirstWithZeros() throws Exception {
    onLoop(() -> {
      counts.sent("2");
      return counts.durable();
    });
    clock.advance(Duration.ofDays(2));
    StatsPage page = onLoop(() -> {
      counts.sent("2");
      counts.sent("2");
      return counts.page("2", 4);
    });
    assertEquals("2", page.org());
    assertEquals(List.of(
        new StatsPage.Day(DAY.minusDays(1), 0, 0, 0),
        new StatsPage.Day(DAY, 1, 0, 0),
        new StatsPage.Day(DAY.plusDays(1), 0, 0, 0),
        new StatsPage.Day(DAY.plusDays(2), 2, 0, 0)), page.days());
    onLoop(counts::close);
  }

  @Test
  void aPageShowsEveryCountMadeBeforeItAndThoseSurviveAStopRightAfter() throws Exception {
    StatsPage page = onLoop(() -> {
      for (int i = 0; i < 500; i++) {
        counts.sent("2");
        if (i % 5 == 0) {
          counts.failed("2");
        }
      }
      return counts.page("2", 1);
    });
    assertEquals(new StatsPage.Day(DAY, 500, 100, 0), page.days().get(0));
    onLoop(counts::close);
    DailyCounts again = reopen(vertx);
    onLoop(again::load);
    assertEquals(page, onLoop(() -> again.page("2", 1)));
    onLoop(again::close);
  }

  /** Runs {@code work} on the event loop and waits for its result on the test thread. */
  protected <T> T onLoop(Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> {
      try {
        work.get().onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
