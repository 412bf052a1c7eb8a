package dev.vigia.app;

import dev.vigia.app.cluster.ClusterNode;
import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.common.storage.DataDirLock;
import dev.vigia.dashboard.DashboardVerticle;
import dev.vigia.gateway.SessionGatewayVerticle;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.baileys.BaileysEngine;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.monitor.MonitorSettings;
import dev.vigia.monitor.MonitorVerticle;
import dev.vigia.monitor.time.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Vigía: the data-dir lock, a Vert.x instance and the three verticles. */
public final class Vigia {

  private static final Logger LOG = LoggerFactory.getLogger(Vigia.class);

  private final Vertx vertx;
  private final DataDirLock lock;
  private final DashboardVerticle dashboard;
  private final MonitorVerticle monitor;
  private final String gatewayDeployment;
  /** Every verticle's deployment, in the order they were deployed. */
  private final List<String> deployments;
  private final Stores stores;

  private final Path dataPath;

  private Vigia(Vertx vertx, DataDirLock lock, DashboardVerticle dashboard, MonitorVerticle monitor,
      List<String> deployments, Stores stores, Path dataPath) {
    this.dataPath = dataPath;
    this.vertx = vertx;
    this.lock = lock;
    this.dashboard = dashboard;
    this.monitor = monitor;
    this.deployments = deployments;
    this.gatewayDeployment = deployments.get(2); // dashboard, monitor, gateway[, cluster node]
    this.stores = stores;
  }

  /** Starts Vigía; fails (and releases everything) when the data dir is taken or a verticle fails. */
  public static Future<Vigia> start(VigiaConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * As {@link #start(VigiaConfig, Clock)}, with the monitor's backoffs and daily jobs on
   * {@code scheduler} (null: real timers); tests and demos pass a {@code VirtualScheduler}.
   */
  public static Future<Vigia> start(VigiaConfig config, Clock clock, Scheduler scheduler) {
    DataDirLock lock;
    try {
      DataDir.prepare(config.dataPath());
      lock = DataDirLock.acquire(config.dataPath());
    } catch (IOException | IllegalStateException e) {
      return Future.failedFuture(e);
    }
    warmUpJson();
    VertxOptions options = new VertxOptions().setMetricsOptions(metricsOptions());
    if (config.cluster().enabled()) { // issue 11: a clustered Vert.x, then the same start
      ClusterNode node = new ClusterNode(config.cluster());
      return ClusterNode.vertx(config.cluster(), options, new SafeMetricsFactory())
          .onFailure(e -> closeQuietly(lock))
          .compose(vertx -> start(config, clock, scheduler, lock, vertx, node));
    }
    Vertx vertx = Vertx.builder().with(options).withMetrics(new SafeMetricsFactory()).build();
    return start(config, clock, scheduler, lock, vertx, null);
  }

  /** The start on {@code vertx}; {@code node} is this cluster node (null: a single node). */
  private static Future<Vigia> start(VigiaConfig config, Clock clock, Scheduler scheduler,
      DataDirLock lock, Vertx vertx, ClusterNode node) {
    Engine engine = createEngine(config, vertx, clock);
    // said once, at start, in one line: the engine keeps retrying and readiness keeps saying why
    engine.ready().onFailure(e -> {
      if (!String.valueOf(e.getMessage()).contains("is stopping")) { // Vigía stopped before it ran
        LOG.error("the WhatsApp engine ({}) cannot run: {}; the dashboard shows it unavailable until"
            + " this is fixed", engine.name(), e.getMessage());
      }
    });
    // VIGIA_STORE: every store in the data dir's files, or in PostgreSQL
    var stores = node == null ? Stores.forServer(config, vertx, clock)
        : Stores.forClusterNode(config, vertx, clock, node);
    var store = stores.authState();
    var monitor = new MonitorVerticle(config, stores.monitor(), clock, RandomGenerator.getDefault(),
        MonitorSettings.defaults(), scheduler,
        node == null ? Ownership.everyOrg() : node.ownership());
    var gateway = new SessionGatewayVerticle(config, engine, store, stores.records(), clock);
    if (node != null) {
      gateway.clustered(config.cluster().nodeId());
      monitor.clustered();
    }
    // requests made during the start wait until the gateway (and a cluster node) serve them
    Promise<Void> everyoneServes = Promise.promise();
    var dashboard = new DashboardVerticle(config, stores.dashboard(), clock)
        .withOrgLogLines(JsonLogs.orgLines())
        .servingAfter(everyoneServes.future());
    // the dashboard first, so /health answers as soon as it can and never shares the start with
    // a restore; the monitor before the gateway, so it hears what the gateway does while
    // restoring sessions. The file store's sweep of what a crash left grows with the sessions, so
    // /health does not wait for it (store operations do); a database must be migrated before
    // anything reads it. A store that cannot be used still fails the start.
    Future<Void> firstStores = stores.openBeforeStart() ? stores.open() : Future.succeededFuture();
    List<String> deployed = new ArrayList<>();
    Future<Vigia> started = firstStores
        .compose(v -> vertx.deployVerticle(dashboard)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(monitor)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(gateway)).onSuccess(deployed::add)
        // a cluster node's leases last: it stops first, handing its sessions over
        .compose(id -> node == null ? Future.<String>succeededFuture()
            : vertx.deployVerticle(node).onSuccess(deployed::add))
        .andThen(ar -> everyoneServes.handle(ar.mapEmpty()))
        .compose(gatewayId -> (stores.openBeforeStart() ? Future.<Void>succeededFuture()
            : stores.open()).map(v -> new Vigia(vertx, lock, dashboard, monitor,
                List.copyOf(deployed), stores, config.dataPath())));
    // completed off Vert.x: after a failed start its event loops are closed and cannot deliver
    Promise<Vigia> result = Promise.promise();
    started.onComplete(ar -> {
      if (ar.succeeded()) {
        bindJvmMetrics(vertx);
        ServerFile.write(vertx, config, ar.result().httpPort());
        result.complete(ar.result());
        return;
      }
      LOG.error("start failed: {}", ar.cause().toString());
      Thread closer = new Thread(() -> {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("closing after a failed start: {}", e.toString());
        }
        closeQuietly(lock);
        result.fail(explain(ar.cause(), config));
      }, "vigia-start-failed");
      closer.start();
    });
    return result.future();
  }

  /**
   * Loads and initializes Jackson's classes on a second thread while Vert.x starts on this one:
   * the accounts, records and every answer need them, and on two cores doing it side by side
   * takes a few hundred milliseconds off the time to {@code /health}. Then it builds the
   * (de)serializers of what a restart reads and writes for every session: built on first use,
   * they made reading 2,000 session records take 0.6 s instead of 0.3 s (issue 7).
   */
  private static void warmUpJson() {
    Thread warm = new Thread(() -> {
      try {
        Cause cause = Cause.userRequest("warm-up");
        StateChange change = Json.fromJson(Json.toJson(new StateChange("warm-up",
            SessionState.STOPPED, SessionState.STARTING, cause, null, null,
            null, null, Instant.EPOCH, 1)), StateChange.class);
        Json.mapper().readTree(Json.mapper().writeValueAsBytes(change));
        SessionView.Me me = new SessionView.Me("warm-up@s.whatsapp.net", "warm-up");
        roundTrip(new SessionRecord("warm-up", SessionState.CONNECTED, Instant.EPOCH, cause, me,
            Instant.EPOCH, Instant.EPOCH, true, 1));
        roundTrip(new JournalEntry("warm-up", Instant.EPOCH, JournalEntry.STATE,
            SessionState.STARTING, SessionState.CONNECTED, cause, "warm-up", null));
        roundTrip(new HealthChange("warm-up", HealthChange.OK, "warm-up", Instant.EPOCH));
        roundTrip(new SessionList(List.of(new SessionView("warm-up", SessionState.CONNECTED,
            Instant.EPOCH, cause, null, me, Instant.EPOCH, null, null, null, null))));
      } catch (java.io.IOException | RuntimeException e) {
        LOG.debug("JSON warm-up: {}", e.toString()); // only a head start; nothing depends on it
      }
    }, "vigia-json-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  private static void roundTrip(Object value) throws java.io.IOException {
    Json.mapper().readValue(Json.mapper().writeValueAsBytes(value), value.getClass());
  }

  /** A start failure as a person can act on it. */
  private static Throwable explain(Throwable cause, VigiaConfig config) {
    if (cause instanceof java.net.BindException) {
      return new IllegalStateException("cannot listen on " + config.httpHost() + ":"
          + config.httpPort() + " (" + cause.getMessage() + "); set VIGIA_HTTP_HOST or"
          + " VIGIA_HTTP_PORT");
    }
    return cause;
  }

  /**
   * Prometheus in the default registry (GET /metrics scrapes it). The JVM's own metrics are bound
   * after the start ({@link #bindJvmMetrics}), not here: binding them costs a few hundred
   * milliseconds of class loading that {@code /health} would otherwise wait for.
   */
  static MicrometerMetricsOptions metricsOptions() {
    // no event-bus series: they are labelled by address, one per org (its state and journal
    // addresses), and looking them up by name and tags cost every message of every state change
    // (issue 12); Vigía's own series count what matters (changes, reconnects, decisions)
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /** The JVM metrics Vert.x would bind (memory, GC, threads, class loading, CPU), on a worker. */
  private static void bindJvmMetrics(Vertx vertx) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    vertx.executeBlocking(() -> {
      new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
      return null;
    }, false).onFailure(e -> LOG.warn("JVM metrics are not bound: {}", e.toString()));
  }

  private static Engine createEngine(VigiaConfig config, Vertx vertx, Clock clock) {
    if (config.engine().equals(BaileysEngine.NAME)) {
      return BaileysEngine.create(vertx, config, clock);
    }
    return new SimulatedEngine(vertx, config.sim(), clock);
  }

  /** For {@code main}: starts and waits, with the system clock. */
  public static Vigia startAndWait(VigiaConfig config) throws Exception {
    try {
      return start(config, Clock.systemUTC()).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // the cause is what a person must fix; main prints its message as one line
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  public int httpPort() {
    return dashboard.actualPort();
  }

  /**
   * Every acknowledged auth-state write visible in {@code auth_sessions/} (the file store writes
   * its key files after its log): for tests that read the folders of a running Vigía.
   */
  public Future<Void> flushAuthState() {
    return stores.authState().flush();
  }

  public Vertx vertx() {
    return vertx;
  }

  public MonitorVerticle monitor() {
    return monitor;
  }

  /** The registry Vert.x and the monitor record into (Prometheus). */
  public MeterRegistry meterRegistry() {
    return BackendRegistries.getDefaultNow();
  }

  /** Tests: stops the session gateway alone, to see what {@code /health/ready} says then. */
  Future<Void> undeployGateway() {
    return vertx.undeploy(gatewayDeployment);
  }

  public Future<Void> stop() {
    // with a database the verticles stop first, newest first (the gateway's last writes, then
    // the monitor's journal lines and counts), then its pool: Vert.x alone closes the pool beside
    // the verticles, and their last writes would fail
    Future<Void> first = stores.openBeforeStart() ? undeployNewestFirst(deployments.size() - 1)
        .eventually(stores::close) : Future.succeededFuture();
    // Vert.x is closed from a thread of its own: a future of its event loops cannot deliver
    // after they ended, and the lock would stay taken
    Promise<Void> stopped = Promise.promise();
    first.onComplete(ar -> new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (!stores.openBeforeStart()) { // the files: their logs folded once the verticles stopped
          stores.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
      ServerFile.remove(dataPath);
      closeQuietly(lock);
      stopped.complete();
    }, "vigia-stop").start());
    return stopped.future();
  }

  private Future<Void> undeployNewestFirst(int index) {
    if (index < 0) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deployments.get(index)).eventually(() -> undeployNewestFirst(index - 1));
  }

  public void stopAndWait() {
    try {
      stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stop did not finish cleanly: {}", e.toString());
    }
  }

  private static void closeQuietly(DataDirLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warn("could not release the data-dir lock: {}", e.toString());
    }
  }
}
