package dev.vigia.monitor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.alert.Alert;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.journal.MemoryJournal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.time.VirtualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's watch on the machine: a disk under the threshold raises one server alert (no
 * org), again only once the cooldown is over; the gauges follow the last check.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class SystemWatchTest {

  @TempDir
  Path data;

  @Test
  void aLowDiskAlertsOncePerCooldownAndTheGaugesShowTheLastCheck(Vertx vertx) throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorMetrics metrics = new MonitorMetrics(registry);
    AlertRouter router = new AlertRouter(alerts::add,
        new JournalWriter(new MemoryJournal(), metrics), metrics, "monitor");
    // 95 TiB: every test machine's disk is under it
    VigiaConfig.Checks settings = VigiaConfig.fromMap(Map.of("VIGIA_DISK_WARN_MB", "100000000",
        "VIGIA_NETWORK_TARGET", "off", "VIGIA_CHECK_INTERVAL_SECONDS", "30")).checks();
    Context context = vertx.getOrCreateContext();
    SystemWatch watch = on(context, () -> new SystemWatch(vertx, settings, data, scheduler, clock,
        router, registry, Duration.ofMinutes(15)));
    on(context, () -> {
      watch.start();
      return null;
    });

    SystemHealth first = await(on(context, watch::checkNow));
    assertEquals(SystemHealth.WARN, first.disk().status());
    waitFor(() -> alerts.size() == 1);
    Alert alert = alerts.get(0);
    assertEquals(null, alert.org(), "the server's own alert concerns no org");
    assertEquals(Alert.DISK_LOW, alert.kind());
    assertEquals(Alert.WARNING, alert.severity());
    assertTrue(alert.message().contains(data.toAbsolutePath().toString()), alert.message());

    // still low, 30 s later and 10 min later: no second alert within the cooldown
    for (Duration step : List.of(Duration.ofSeconds(30), Duration.ofMinutes(10))) {
      clock.advance(step);
      await(on(context, watch::checkNow));
    }
    assertEquals(1, alerts.size());
    clock.advance(Duration.ofMinutes(6));
    await(on(context, watch::checkNow));
    waitFor(() -> alerts.size() == 2);

    assertEquals((double) first.disk().totalBytes(),
        registry.get("vigia.disk.total.bytes").gauge().value());
    assertTrue(registry.get("vigia.disk.free.bytes").gauge().value() > 0);
    assertEquals((double) (100_000_000L << 20),
        registry.get("vigia.disk.warn.below.bytes").gauge().value());
    assertTrue(Double.isNaN(registry.get("vigia.network.up").gauge().value()),
        "the network check is off: no value");
    on(context, () -> {
      watch.stop();
      return null;
    });
  }

  private static <T> T on(Context context, Supplier<T> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> done.complete(work.get()));
    return done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void waitFor(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get() && System.nanoTime() < deadline) {
      Thread.sleep(20); // the test thread
    }
    assertTrue(condition.get(), "not reached in 10 s");
  }
}
