package dev.vigia.monitor;

import dev.vigia.common.Json;
import dev.vigia.common.account.OrgSettings;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.account.OrgSettingsQuery;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.monitor.SystemQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.Operation;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.alert.AlertDispatcher;
import dev.vigia.monitor.alert.AlertRecipients;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.decrypt.DecryptWatch;
import dev.vigia.monitor.gateway.BusGatewayCommands;
import dev.vigia.monitor.gateway.GatewayCommands;
import dev.vigia.monitor.health.HealthWatch;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import dev.vigia.monitor.reconnect.ReconnectDriver;
import dev.vigia.monitor.stale.StaleReaper;
import dev.vigia.monitor.stats.DailyCounts;
import dev.vigia.monitor.system.SystemWatch;
import dev.vigia.monitor.time.Scheduler;
import dev.vigia.monitor.time.VertxScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The policy half of Vigía (DESIGN §3). It only wires the jobs, each a plain class with one job:
 * {@link ReconnectDriver} (decisions and their commands), {@link DecryptWatch},
 * {@link HealthWatch}, {@link DailyCounts}, {@link StaleReaper}, {@link SystemWatch},
 * {@link AlertRouter} and the
 * {@link JournalWriter}; they reach the gateway only through {@link GatewayCommands}. All their
 * state lives on this verticle's event loop.
 */
public final class MonitorVerticle extends VerticleBase {

  public static final String ACTOR = "monitor";

  private final VigiaConfig config;
  private final MonitorStores stores;
  private final Journal journal;
  private final Clock clock;
  private final RandomGenerator random;
  private final MonitorSettings settings;
  private final Ownership ownership;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** Where the per-org queries are answered: the plain addresses, or a cluster node's own. */
  private String healthAddress = HealthQuery.ADDRESS;
  private String statsAddress = StatsQuery.ADDRESS;
  private Scheduler scheduler;
  private MonitorMetrics metrics;
  private JournalWriter journalWriter;
  private AlertRouter alerts;
  private ReconnectDriver reconnect;
  private StaleReaper reaper;
  private DailyCounts stats;
  private SystemWatch system;

  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random) {
    this(config, journal, clock, random, MonitorSettings.defaults());
  }

  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random,
      MonitorSettings settings) {
    this(config, journal, clock, random, settings, null, null);
  }

  /**
   * @param scheduler where backoffs and the daily reaper wait; null: Vert.x timers on
   *     {@code clock} (a {@code VirtualScheduler} lets a test move time by hand)
   * @param statsDataDir where {@code stats/} lives; null: daily stats in memory only (the file
   *     store's journal, counts and cooldowns: {@link MonitorStores#files})
   */
  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random,
      MonitorSettings settings, Scheduler scheduler, Path statsDataDir) {
    this(config, journal, clock, random, settings, scheduler, statsDataDir, Ownership.everyOrg());
  }

  /**
   * @param ownership the orgs this node acts for (cluster mode: those whose lease it holds); the
   *     monitor hears only its own node's gateway, and acts only for the orgs it owns
   */
  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random,
      MonitorSettings settings, Scheduler scheduler, Path statsDataDir, Ownership ownership) {
    this(config, MonitorStores.files(journal, statsDataDir), clock, random, settings, scheduler,
        ownership);
  }

  /** With its journal, daily counts and alert cooldowns in {@code stores} (files or PostgreSQL). */
  public MonitorVerticle(VigiaConfig config, MonitorStores stores, Clock clock,
      RandomGenerator random, MonitorSettings settings, Scheduler scheduler) {
    this(config, stores, clock, random, settings, scheduler, Ownership.everyOrg());
  }

  /** With its stores, acting for the orgs in {@code ownership}. */
  public MonitorVerticle(VigiaConfig config, MonitorStores stores, Clock clock,
      RandomGenerator random, MonitorSettings settings, Scheduler scheduler,
      Ownership ownership) {
    this.ownership = ownership;
    this.config = config;
    this.stores = stores;
    this.journal = stores.journal();
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.scheduler = scheduler;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    if (scheduler == null) {
      scheduler = new VertxScheduler(vertx, clock);
    }
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    // without metrics enabled on Vert.x (unit tests) the series still count, in memory
    metrics = new MonitorMetrics(registry != null ? registry : new SimpleMeterRegistry());
    GatewayCommands gateway = new BusGatewayCommands(bus, ACTOR);
    // each written line also goes to the org's live log views, as the JSON text they send on
    // (a JsonObject was a map conversion per line, and a copy per listener)
    journalWriter = new JournalWriter(journal, metrics,
        entry -> bus.publish(JournalEntry.addressFor(entry.org()), Json.toBuffer(entry)));
    alerts = new AlertRouter(alert -> bus.publish(Alert.ADDRESS, Json.toJson(alert)),
        journalWriter, metrics, ACTOR);
    alerts.deliverThrough(AlertDispatcher.fromConfig(vertx, config, this::recipientsOf, clock,
        alerts::outcome, stores.cooldowns()));
    DecryptFailureTracker tracker = settings.decryptTracker();
    HealthWatch health = new HealthWatch(tracker, gateway,
        // as JSON text, as state changes are: two per session in a restore (DOWN, then OK), and
        // a JsonObject is a conversion through a map each time
        change -> bus.publish(HealthChange.ADDRESS, Json.toBuffer(change)), clock);
    stats = stores.stats().create(vertx, clock, metrics);
    reconnect = new ReconnectDriver(settings.policy(random), settings.commandBackoff(random),
        gateway, scheduler, clock, journalWriter, alerts, metrics, org -> {
          metrics.reconnect(org);
          stats.reconnect(org);
        }, ACTOR, ownership);
    DecryptWatch decrypts = new DecryptWatch(tracker, gateway, journalWriter, alerts, health,
        ACTOR);
    MonitorEvents events = new MonitorEvents(journalWriter, metrics, health, alerts, reconnect,
        decrypts, stats, clock, ownership);
    reaper = new StaleReaper(gateway, scheduler, clock, journalWriter, metrics,
        config.staleDays(), config.archiveDays(), events::forget, ACTOR, ownership);
    // the disk fills and the network fails in real time: the machine checks keep real timers even
    // when the monitor's own waits run on a test's virtual time (and stay out of its timer count)
    system = new SystemWatch(vertx, config, config.dataPath(),
        new VertxScheduler(vertx, Clock.systemUTC()), clock, alerts, metrics.registry());
    MonitorQueries queries = new MonitorQueries(journal, health, stats, reaper, system);
    reaper.start();
    system.start();
    return stats.load().compose(v -> {
      consumers.addAll(List.of(
          // local: in a cluster every node's gateway publishes there; this monitor decides for
          // the sessions of its own node's gateway only (the dashboards hear them all)
          bus.<Object>localConsumer(StateChange.ADDRESS, m -> events.stateChange(m.body())),
          bus.<JsonObject>localConsumer(Activity.ADDRESS, m -> events.activity(m.body())),
          // local too: an operation is journaled once, by the node whose gateway did it; and a
          // node's dashboard asks its own monitor (the bus would pick any node's in turn)
          bus.<JsonObject>localConsumer(Operation.ADDRESS, m -> events.operation(m.body())),
          bus.<Object>localConsumer(SystemQuery.ADDRESS, queries::system),
          bus.<Object>localConsumer(JournalQuery.ADDRESS, queries::journal),
          bus.<Object>localConsumer(healthAddress, queries::health),
          bus.<Object>localConsumer(statsAddress, queries::stats),
          bus.<Object>localConsumer(StaleQuery.ADDRESS, queries::stale)));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  /**
   * Cluster mode (issue 11): this monitor answers health and stats on this node's local
   * addresses, behind the node's door, which asks the org's owner or every node. Before deploy.
   */
  public MonitorVerticle clustered() {
    healthAddress = NodeAddresses.monitorLocal(HealthQuery.ADDRESS);
    statsAddress = NodeAddresses.monitorLocal(StatsQuery.ADDRESS);
    return this;
  }

  @Override
  public Future<?> stop() {
    if (reconnect == null) {
      return Future.succeededFuture();
    }
    reconnect.stop();
    reaper.stop();
    system.stop();
    // nothing counted after the last write: stop listening first, then write what is left
    Future<?> deaf = Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
    Future<Void> saved = deaf.transform(ignored -> stats.close());
    // alert outcomes and the last decisions land in the journal before the stop completes
    return Future.join(saved, alerts.close()).transform(ignored -> journalWriter.drained());
  }

  /** The series this monitor records (the Vert.x default registry when metrics are on). */
  public MonitorMetrics metrics() {
    return metrics;
  }

  /** The org's own recipients from the dashboard; any failure means "none of its own". */
  private Future<AlertRecipients> recipientsOf(String org) {
    return vertx.eventBus().request(OrgSettingsQuery.ADDRESS,
            Json.toJson(new OrgSettingsQuery(org)))
        .map(reply -> {
          OrgSettings o = Json.fromJson((JsonObject) reply.body(), OrgSettings.class);
          return new AlertRecipients(o.alertEmails(),
              o.webhookUrl() == null ? List.of() : List.of(o.webhookUrl()), o.language());
        })
        .otherwise(err -> AlertRecipients.none());
  }
}
