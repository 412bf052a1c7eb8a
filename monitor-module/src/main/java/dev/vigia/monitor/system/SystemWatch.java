package dev.vigia.monitor.system;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.policy.AlertKind;
import dev.vigia.monitor.time.Scheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine under Vigía, every {@code VIGIA_CHECK_INTERVAL_SECONDS}: the data dir's disk
 * ({@link DiskCheck}) and WhatsApp's address ({@link NetworkCheck}), on a worker of its own. The
 * last result answers {@code /health/ready}, the page and {@code vigia status}; gauges go to
 * {@code /metrics}; a disk under the threshold or full raises a server alert (mail and webhook to
 * the global recipients), again only once the cooldown has passed, and a recovery once it is
 * fine. Use from the monitor's event loop.
 */
public final class SystemWatch {

  private static final Logger LOG = LoggerFactory.getLogger(SystemWatch.class);
  private static final String EXECUTOR = "vigia-system-checks";
  /** Walking the whole data dir is the costly part: its size is measured about every 5 min. */
  private static final long DATA_SIZE_EVERY_SECONDS = 300;

  private final Vertx vertx;
  private final Scheduler scheduler;
  private final Clock clock;
  private final AlertRouter alerts;
  private final Duration interval;
  private final Duration cooldown;
  private final DiskCheck disk;
  private final NetworkCheck network;
  private final AtomicReference<SystemHealth> last;
  private WorkerExecutor worker;
  private Future<SystemHealth> running;
  private long timer = -1;
  private boolean stopped;
  private int checks;
  private String alertedStatus;
  private Instant alertedAt;

  public SystemWatch(Vertx vertx, VigiaConfig config, Path dataDir, Scheduler scheduler,
      Clock clock, AlertRouter alerts, MeterRegistry registry) {
    this(vertx, config.checks(), dataDir, scheduler, clock, alerts, registry,
        Duration.ofSeconds(config.alertCooldownSeconds()));
  }

  SystemWatch(Vertx vertx, VigiaConfig.Checks settings, Path dataDir, Scheduler scheduler,
      Clock clock, AlertRouter alerts, MeterRegistry registry, Duration cooldown) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.clock = clock;
    this.alerts = alerts;
    this.interval = Duration.ofSeconds(settings.intervalSeconds());
    this.cooldown = cooldown;
    this.disk = new DiskCheck(dataDir, settings);
    this.network = new NetworkCheck(settings.networkHost(), settings.networkPort(),
        NetworkCheck.TIMEOUT_MS);
    this.last = new AtomicReference<>(SystemHealth.unknown(dataDir.toAbsolutePath().toString(),
        settings.networkTarget()));
    gauges(registry);
  }

  /** The first check at once, then one every interval. */
  public void start() {
    worker = vertx.createSharedWorkerExecutor(EXECUTOR, 1, 2L * NetworkCheck.TIMEOUT_MS,
        TimeUnit.MILLISECONDS);
    checkNow();
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      scheduler.cancel(timer);
    }
    if (worker != null) {
      worker.close();
    }
  }

  /** The last result (nothing checked yet: {@code UNKNOWN}). */
  public SystemHealth last() {
    return last.get();
  }

  /** A check now (or the one under way); the data dir's size is measured too. */
  public Future<SystemHealth> checkNow() {
    if (running != null) {
      return running;
    }
    if (stopped || worker == null) {
      return Future.succeededFuture(last.get());
    }
    if (timer >= 0) {
      scheduler.cancel(timer);
      timer = -1;
    }
    boolean measure = checks == 0
        || checks % Math.max(1, DATA_SIZE_EVERY_SECONDS / interval.toSeconds()) == 0;
    checks++;
    Long knownData = last.get().disk().dataBytes();
    Future<SystemHealth> check = worker.executeBlocking(() -> {
      Instant now = clock.instant();
      return new SystemHealth(disk.run(measure, knownData, now), network.run(now));
    }, false);
    running = check;
    // back on the monitor's loop: the state of this class lives there
    var context = vertx.getOrCreateContext();
    check.onComplete(ar -> context.runOnContext(v -> {
      running = null;
      if (ar.succeeded()) {
        changed(last.getAndSet(ar.result()), ar.result());
      } else {
        LOG.warn("the disk and network checks failed: {}", ar.cause().toString());
      }
      if (!stopped) {
        timer = scheduler.after(interval, () -> {
          timer = -1;
          checkNow();
        });
      }
    }));
    return check;
  }

  private void changed(SystemHealth before, SystemHealth now) {
    SystemHealth.Disk d = now.disk();
    if (!d.status().equals(before.disk().status())) {
      if (SystemHealth.UP.equals(d.status())) {
        LOG.info("disk: {}", d.detail());
      } else {
        LOG.warn("disk: {}", d.detail());
      }
    }
    SystemHealth.Network n = now.network();
    if (!n.status().equals(before.network().status())) {
      if (SystemHealth.DOWN.equals(n.status())) {
        LOG.warn("network: {}", n.detail());
      } else {
        LOG.info("network: {}", n.detail());
      }
    }
    alertOnDisk(d, clock.instant());
  }

  /** Worse than before: an alert at once; still bad: again once the cooldown is over. */
  private void alertOnDisk(SystemHealth.Disk d, Instant now) {
    String status = d.status();
    if (SystemHealth.UP.equals(status)) {
      if (alertedStatus != null) {
        alertedStatus = null;
        alertedAt = null;
        alerts.serverRecovered();
      }
      return;
    }
    if (!SystemHealth.WARN.equals(status) && !SystemHealth.DOWN.equals(status)) {
      return; // unknown: nothing to say
    }
    boolean worse = alertedStatus == null
        || (SystemHealth.DOWN.equals(status) && !SystemHealth.DOWN.equals(alertedStatus));
    boolean again = alertedAt != null && !now.isBefore(alertedAt.plus(cooldown));
    if (worse || again) {
      alertedStatus = status;
      alertedAt = now;
      alerts.raiseServer(SystemHealth.DOWN.equals(status) ? AlertKind.DISK_FULL
          : AlertKind.DISK_LOW, d.detail() + " (" + d.path() + ")", now);
    }
  }

  private void gauges(MeterRegistry registry) {
    Gauge.builder("vigia.disk.free.bytes", last, h -> number(h.get().disk().freeBytes()))
        .description("Free bytes on the data dir's disk").baseUnit("bytes").register(registry);
    Gauge.builder("vigia.disk.total.bytes", last, h -> number(h.get().disk().totalBytes()))
        .description("Size of the data dir's disk").baseUnit("bytes").register(registry);
    Gauge.builder("vigia.disk.warn.below.bytes", last,
            h -> number(h.get().disk().warnBelowBytes()))
        .description("Free bytes under which the disk warns (VIGIA_DISK_WARN_*)")
        .baseUnit("bytes").register(registry);
    Gauge.builder("vigia.data.dir.bytes", last, h -> number(h.get().disk().dataBytes()))
        .description("Bytes the data dir holds").baseUnit("bytes").register(registry);
    Gauge.builder("vigia.network.up", last, h -> switch (h.get().network().status()) {
          case SystemHealth.UP -> 1.0;
          case SystemHealth.DOWN -> 0.0;
          default -> Double.NaN;
        })
        .description("1 when WhatsApp's address (VIGIA_NETWORK_TARGET) accepts a TCP connection")
        .register(registry);
  }

  private static double number(Long value) {
    return value == null ? Double.NaN : value;
  }
}
