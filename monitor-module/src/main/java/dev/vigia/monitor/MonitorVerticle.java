package dev.vigia.monitor;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.account.OrgSettings;
import dev.vigia.common.account.OrgSettingsQuery;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.monitor.alert.AlertDispatcher;
import dev.vigia.monitor.alert.AlertMessage;
import dev.vigia.monitor.alert.AlertOutcome;
import dev.vigia.monitor.alert.AlertRecipients;
import dev.vigia.monitor.health.HealthBook;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.stats.DailyStats;
import dev.vigia.monitor.stats.StatsFiles;
import dev.vigia.monitor.time.Scheduler;
import dev.vigia.monitor.time.VertxScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import dev.vigia.monitor.journal.StateSentence;
import dev.vigia.monitor.policy.AlertKind;
import dev.vigia.monitor.policy.Decision;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import dev.vigia.monitor.policy.OrgHistory;
import dev.vigia.monitor.policy.PolicyInput;
import dev.vigia.monitor.policy.SessionPolicy;
import dev.vigia.monitor.policy.StaleRule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy half of Vigía (DESIGN §3): listens to the gateway's state changes and activity,
 * decides with {@link SessionPolicy}, answers with gateway commands, journals every change and
 * decision, and publishes alerts on {@link Alert#ADDRESS}. All its state lives on its event loop.
 */
public final class MonitorVerticle extends VerticleBase {

  public static final String ACTOR = "monitor";
  /** A contact id longer than this is not a WhatsApp jid: not tracked. */
  private static final int MAX_CONTACT_LENGTH = 256;
  /** Reason of a connect the gateway could not even start (no reply, engine unavailable). */
  static final String CONNECT_FAILED = "connect_failed";

  private static final Logger log = LoggerFactory.getLogger(MonitorVerticle.class);

  /** How often the stale-session reaper runs. */
  static final Duration REAP_EVERY = Duration.ofDays(1);
  /** Stats files are written at most this often (debounce). */
  private static final long STATS_FLUSH_MS = 500;

  private final VigiaConfig config;
  private final Journal journal;
  private final Clock clock;
  private final SessionPolicy policy;
  private final DecryptFailureTracker decrypts;
  private final Map<String, OrgSession> orgs = new HashMap<>();
  private final HealthBook healthBook = new HealthBook();
  private final Map<String, DailyStats> stats = new HashMap<>();
  private final Set<String> statsDirty = new HashSet<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Path statsDataDir;
  private Scheduler scheduler;
  private EventBus bus;
  private MonitorMetrics metrics;
  private AlertDispatcher alerts;
  private StatsFiles statsFiles;
  private long statsFlushTimer = -1;
  private long reaperTask = -1;

  /** What the monitor holds of one org between events. */
  private static final class OrgSession {
    OrgHistory history = OrgHistory.empty();
    SessionState state;
    /** Bumped by every new decision: a late reply or timer of an older one does nothing. */
    long generation;
    long timerId = -1;
    /** An alert went out since the session was last connected: CONNECTED sends a recovery. */
    boolean alerted;
    /** The close reason the pending retry waits on (network_down: woken when the network is back). */
    String waitingOn;
  }

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
   * @param statsDataDir where {@code stats/<org>.json} live; null: daily stats in memory only
   */
  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random,
      MonitorSettings settings, Scheduler scheduler, Path statsDataDir) {
    this.config = config;
    this.journal = journal;
    this.clock = clock;
    this.policy = settings.policy(random);
    this.decrypts = settings.decryptTracker();
    this.scheduler = scheduler;
    this.statsDataDir = statsDataDir;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    if (scheduler == null) {
      scheduler = new VertxScheduler(vertx, clock);
    }
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    // without metrics enabled on Vert.x (unit tests) the series still count, in memory
    metrics = new MonitorMetrics(registry != null ? registry : new SimpleMeterRegistry());
    alerts = AlertDispatcher.fromConfig(vertx, config, this::recipientsOf, clock,
        this::onAlertOutcome);
    Future<Void> statsLoaded = Future.succeededFuture();
    if (statsDataDir != null) {
      statsFiles = new StatsFiles(vertx, statsDataDir);
      statsLoaded = statsFiles.loadAll().map(all -> {
        all.forEach(snapshot -> stats.put(snapshot.org(), DailyStats.of(snapshot)));
        return null;
      });
    }
    scheduleReaper();
    return statsLoaded.compose(v -> {
      consumers.addAll(List.of(
          bus.<JsonObject>consumer(StateChange.ADDRESS, this::onStateChange),
          bus.<JsonObject>consumer(Activity.ADDRESS, this::onActivity),
          bus.<Object>consumer(JournalQuery.ADDRESS, this::onJournalQuery),
          bus.<Object>consumer(HealthQuery.ADDRESS, this::onHealthQuery),
          bus.<Object>consumer(StatsQuery.ADDRESS, this::onStatsQuery),
          bus.<Object>consumer(StaleQuery.ADDRESS, this::onStaleQuery)));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  @Override
  public Future<?> stop() {
    orgs.values().forEach(this::cancelPending);
    if (reaperTask != -1) {
      scheduler.cancel(reaperTask);
    }
    // no event counted after the last write: stop listening first, then write what is dirty
    Future<?> deaf = Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
    Future<Void> flushed = deaf.transform(ignored -> {
      if (statsFlushTimer != -1) {
        vertx.cancelTimer(statsFlushTimer);
        statsFlushTimer = -1;
      }
      return flushStats();
    });
    return Future.join(flushed, alerts == null ? Future.succeededFuture() : alerts.close());
  }

  /** The series this monitor records (the Vert.x default registry when metrics are on). */
  public MonitorMetrics metrics() {
    return metrics;
  }

  // ---- state changes -------------------------------------------------------------------------

  private void onStateChange(Message<JsonObject> msg) {
    StateChange change;
    try {
      change = Json.fromJson(msg.body(), StateChange.class).withoutSecrets();
    } catch (RuntimeException e) {
      log.warn("unreadable state change ignored: {}", e.getClass().getSimpleName());
      return;
    }
    if (!OrgId.isValid(change.org()) || change.to() == null) {
      log.warn("state change without a valid org id or state ignored");
      return;
    }
    String org = change.org();
    Instant now = clock.instant();
    append(new JournalEntry(org, change.at() != null ? change.at() : now, JournalEntry.STATE,
        change.from(), change.to(), change.cause(), StateSentence.of(change), null));
    OrgSession s = orgs.computeIfAbsent(org, k -> new OrgSession());
    SessionState previous = s.state;
    s.state = change.to();
    count(org, previous, change, now);
    healthBook.state(org, change.to(), change.at() != null ? change.at() : now);
    if (change.to() == SessionState.CONNECTED && s.alerted) {
      s.alerted = false;
      alerts.recovered(org);
    }
    if (change.to() != SessionState.RECONNECTING) {
      // a pending retry only makes sense while RECONNECTING: a person or the gateway moved on
      cancelPending(s);
    }
    decideAndApply(org, s, PolicyInput.of(change, s.history, now));
    if (change.to() == SessionState.STOPPED || change.to() == SessionState.LOGGED_OUT) {
      // new credentials or none: old decrypt failures mean nothing
      decrypts.forget(org);
    }
    if (change.to() == SessionState.CONNECTED
        || (change.cause() != null && Cause.NETWORK_UP.equals(change.cause().reason()))) {
      wakeNetworkWaiters(org, now);
    }
    refreshHealth(org, "Session is " + change.to(), now);
  }

  /** Metrics for one transition: the gauge moves, closes are counted by code. */
  private void count(String org, SessionState previous, StateChange change, Instant now) {
    if (previous != change.to()) {
      metrics.stateChanged(previous, change.to());
    }
    // a close the gateway reports (not the echo of the monitor's own settle, not a person's stop)
    boolean close = change.reconnect() == null && isLiveState(change.from())
        && !isLiveState(change.to()) && change.to() != SessionState.STOPPED;
    if (close) {
      metrics.disconnect(change.cause());
    }
  }

  private static boolean isLiveState(SessionState s) {
    return s == SessionState.CONNECTED || s == SessionState.STARTING
        || s == SessionState.QR_REQUIRED || s == SessionState.PAIRING_CODE;
  }

  private void decideAndApply(String org, OrgSession s, PolicyInput in) {
    Decision d = policy.decide(in);
    s.history = policy.remember(in, d);
    if (d instanceof Decision.Ignore) {
      return;
    }
    orgInfo(org, "org {}: {}", org, d.reason());
    append(new JournalEntry(org, in.now(), JournalEntry.DECISION, in.from(), in.state(),
        in.cause(), d.reason(), ACTOR));
    if (d.alert() != null) {
      alert(org, d.alert(), d.reason(), in.now(), in.cause());
    }
    if (d instanceof Decision.ConnectNow) {
      cancelPending(s);
      connect(org, s);
    } else if (d instanceof Decision.RetryLater r) {
      retryLater(org, s, in.cause(), r);
    } else if (d instanceof Decision.Fail) {
      cancelPending(s);
      if (s.state != SessionState.FAILED) {
        settle(org, SessionState.FAILED, in.cause(), null);
      }
    } else if (d instanceof Decision.Stop) {
      cancelPending(s);
      if (s.state != SessionState.STOPPED) {
        settle(org, SessionState.STOPPED, in.cause(), null);
      }
    } else if (d instanceof Decision.ArchiveAndOfferQr a) {
      cancelPending(s);
      archiveAndOfferQr(org, s, a);
    } else if (d instanceof Decision.AwaitPerson) {
      cancelPending(s);
    }
  }

  private void retryLater(String org, OrgSession s, Cause cause, Decision.RetryLater r) {
    cancelPending(s);
    long generation = s.generation;
    s.waitingOn = cause == null ? null : cause.reason();
    settle(org, SessionState.RECONNECTING, cause, new SessionView.Reconnect(r.attempt(), r.nextAt()))
        .onSuccess(v -> {
          if (s.generation != generation) {
            return;
          }
          s.timerId = scheduler.at(r.nextAt(), () -> {
            if (s.generation == generation) {
              s.timerId = -1;
              s.waitingOn = null;
              connect(org, s);
            }
          });
        });
  }

  private void archiveAndOfferQr(String org, OrgSession s, Decision.ArchiveAndOfferQr a) {
    bus.request(ClearRequest.ADDRESS, Json.toJson(new ClearRequest(org, ACTOR, a.reason())))
        .onSuccess(reply -> {
          // the clear's own STOPPED may arrive before this reply; only a person's start wins
          if (s.state == SessionState.STOPPED || s.state == SessionState.LOGGED_OUT) {
            connect(org, s);
          }
        })
        .onFailure(err -> orgWarn(org, "org {}: archiving after a failed link failed: {}", org,
            describe(err)));
  }

  /** When the network is back for one org, the others waiting on a network_down retry now. */
  private void wakeNetworkWaiters(String wokenBy, Instant now) {
    orgs.forEach((org, s) -> {
      if (!org.equals(wokenBy) && s.timerId != -1 && Cause.NETWORK_DOWN.equals(s.waitingOn)) {
        cancelPending(s);
        String reason = "The network is back (org " + wokenBy + " connected): retrying now";
        orgInfo(org, "org {}: {}", org, reason);
        append(new JournalEntry(org, now, JournalEntry.DECISION, s.state, s.state, null, reason,
            ACTOR));
        connect(org, s);
      }
    });
  }

  private void connect(String org, OrgSession s) {
    long generation = s.generation;
    metrics.reconnect(org);
    statsOf(org).reconnect(today());
    statsChanged(org);
    bus.request(ConnectRequest.ADDRESS,
            Json.toJson(new ConnectRequest(org, ConnectRequest.QR, null, false, ACTOR)))
        .onFailure(err -> {
          orgWarn(org, "org {}: connect failed: {}", org, describe(err));
          if (s.generation == generation && isOutage(err)) {
            // nobody opened anything: count it as a failed attempt, or the org would wait forever
            decideAndApply(org, s, new PolicyInput(s.state, SessionState.RECONNECTING,
                new Cause(null, CONNECT_FAILED, "the gateway could not open the connection"),
                false, s.history, clock.instant()));
          }
        });
  }

  private Future<Object> settle(String org, SessionState state, Cause cause,
      SessionView.Reconnect reconnect) {
    return bus.request(SettleRequest.ADDRESS,
            Json.toJson(new SettleRequest(org, state, cause, reconnect, ACTOR)))
        .map(Message::body)
        .onFailure(err -> orgWarn(org, "org {}: settle {} failed: {}", org, state, describe(err)));
  }

  private void cancelPending(OrgSession s) {
    s.generation++;
    if (s.timerId != -1) {
      scheduler.cancel(s.timerId);
      s.timerId = -1;
    }
    s.waitingOn = null;
  }

  // ---- activity: decrypt failures ------------------------------------------------------------

  private void onActivity(Message<JsonObject> msg) {
    Activity activity;
    try {
      activity = Json.fromJson(msg.body(), Activity.class);
    } catch (RuntimeException e) {
      log.warn("unreadable activity ignored: {}", e.getClass().getSimpleName());
      return;
    }
    if (!OrgId.isValid(activity.org()) || activity.kind() == null) {
      return;
    }
    Instant at = clock.instant();
    healthBook.activity(activity.org(), Activity.KEEP_ALIVE.equals(activity.kind()), at);
    switch (activity.kind()) {
      case Activity.MESSAGE_SENT, Activity.MESSAGE_FAILED -> {
        boolean sent = Activity.MESSAGE_SENT.equals(activity.kind());
        metrics.message(activity.org(), sent);
        DailyStats day = statsOf(activity.org());
        if (sent) {
          day.sent(today());
        } else {
          day.failed(today());
        }
        statsChanged(activity.org());
        return;
      }
      case Activity.MESSAGE_RECEIVED -> {
        metrics.received(activity.org());
        return;
      }
      case Activity.DECRYPT_FAILURE -> {
        metrics.decryptFailure(activity.org());
        healthBook.decryptFailure(activity.org(), at);
      }
      default -> {
        return;
      }
    }
    String contact = activity.contact();
    if (contact == null || contact.isBlank() || contact.length() > MAX_CONTACT_LENGTH) {
      return;
    }
    String org = activity.org();
    Instant now = clock.instant();
    DecryptFailureTracker.Verdict v = decrypts.record(org, contact, now);
    if (v.repairContact()) {
      String reason = v.failuresOfContact() + " decrypt failures (Bad MAC or similar) from "
          + contact + " within the window: resetting that contact's Signal session only; the"
          + " login stays";
      orgInfo(org, "org {}: {}", org, reason);
      append(new JournalEntry(org, now, JournalEntry.REPAIR, null, null, null, reason, ACTOR));
      bus.request(RepairRequest.ADDRESS, Json.toJson(new RepairRequest(org, contact, reason)))
          .onFailure(err -> orgWarn(org, "org {}: repair failed: {}", org, describe(err)));
    }
    if (v.becameDegraded()) {
      String reason = "Decrypt failures across many contacts: the stored keys may be damaged;"
          + " if this goes on, clear the session and link it again";
      refreshHealth(org, reason, now);
      append(new JournalEntry(org, now, JournalEntry.DECISION, null, null, null, reason, ACTOR));
      alert(org, AlertKind.DECRYPT_DEGRADED, reason, now, null);
    } else if (v.recovered()) {
      refreshHealth(org, "Decrypt failures are back under the threshold", now);
    }
  }

  // ---- health --------------------------------------------------------------------------------

  /**
   * Publishes a {@link HealthChange} when the org's status moved: down when a known state is not
   * CONNECTED, degraded on decrypt trouble, else ok.
   */
  private void refreshHealth(String org, String reason, Instant now) {
    SessionState state = healthBook.state(org);
    String status = state != null && state != SessionState.CONNECTED ? HealthChange.DOWN
        : decrypts.isDegraded(org) ? HealthChange.DEGRADED : HealthChange.OK;
    if (healthBook.changed(org, status)) {
      health(org, status, reason, now);
    }
  }

  private void onHealthQuery(Message<Object> msg) {
    HealthQuery query;
    try {
      query = msg.body() instanceof JsonObject body ? Json.fromJson(body, HealthQuery.class) : null;
    } catch (RuntimeException e) {
      query = null;
    }
    if (query == null || !OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
      return;
    }
    String org = query.org();
    bus.request(StatusRequest.ADDRESS, Json.toJson(new StatusRequest(org)))
        .map(reply -> Json.fromJson((JsonObject) reply.body(), SessionView.class))
        .onComplete(ar -> {
          SessionView view = ar.succeeded() ? ar.result() : null;
          // the gateway keeps the linked account only while credentials are stored
          boolean creds = view != null && view.me() != null;
          SessionHealth h = healthBook.evaluate(org, view == null ? null : view.state(),
              view == null ? null : view.since(), view == null ? null : view.lastActivityAt(),
              creds, decrypts.isDegraded(org), clock.instant());
          msg.reply(Json.toJson(h));
        });
  }

  // ---- stats ---------------------------------------------------------------------------------

  private DailyStats statsOf(String org) {
    return stats.computeIfAbsent(org, DailyStats::new);
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private void statsChanged(String org) {
    statsDirty.add(org);
    if (statsFiles != null && statsFlushTimer == -1) {
      // I/O debounce, not policy time: a real timer even under a virtual scheduler
      statsFlushTimer = vertx.setTimer(STATS_FLUSH_MS, id -> {
        statsFlushTimer = -1;
        flushStats();
      });
    }
  }

  /** Writes the changed orgs' stats files now. */
  private Future<Void> flushStats() {
    if (statsFiles == null || statsDirty.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> writing = Set.copyOf(statsDirty);
    statsDirty.clear();
    List<DailyStats.Snapshot> snapshots = writing.stream().map(org -> statsOf(org).snapshot())
        .toList();
    return statsFiles.save(snapshots).onFailure(err -> {
      // still to write: the next flush (debounce or stop) tries these orgs again
      statsDirty.addAll(writing);
      log.warn("daily stats could not be written: {}", describe(err));
    });
  }

  private void onStatsQuery(Message<Object> msg) {
    StatsQuery query;
    try {
      query = msg.body() instanceof JsonObject body ? Json.fromJson(body, StatsQuery.class) : null;
    } catch (RuntimeException e) {
      query = null;
    }
    if (query == null || !OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
      return;
    }
    if (query.days() < 1 || query.days() > DailyStats.KEEP_DAYS) {
      msg.fail(Failure.BAD_INPUT, "days must be 1 to " + DailyStats.KEEP_DAYS);
      return;
    }
    DailyStats s = stats.get(query.org());
    if (s == null) {
      s = new DailyStats(query.org());
    }
    msg.reply(Json.toJson(s.page(today(), query.days())));
  }

  // ---- stale sessions ------------------------------------------------------------------------

  private void scheduleReaper() {
    reaperTask = scheduler.after(REAP_EVERY, () -> {
      reaperTask = -1;
      reapNow().onComplete(ar -> scheduleReaper());
    });
  }

  private void onStaleQuery(Message<Object> msg) {
    staleCandidates()
        .onSuccess(list -> msg.reply(Json.toJson(list)))
        .onFailure(err -> msg.fail(Failure.UNAVAILABLE,
            "the session list cannot be read now: " + describe(err)));
  }

  /** Sessions the reaper would archive now (dry run): not connected and idle for staleDays. */
  private Future<StaleList> staleCandidates() {
    int staleDays = config.staleDays();
    return bus.request(ListRequest.ADDRESS, new JsonObject())
        .map(reply -> Json.fromJson((JsonObject) reply.body(), SessionList.class))
        .map(list -> {
          Instant now = clock.instant();
          List<StaleList.Candidate> out = new ArrayList<>();
          for (SessionView v : list.sessions()) {
            StaleRule.candidate(v, now, staleDays).ifPresent(out::add);
          }
          return new StaleList(staleDays, out);
        });
  }

  /**
   * The daily job: archives and removes every stale session, then
   * purges archives older than archiveDays. Completes with how many sessions were reaped.
   */
  private Future<Integer> reapNow() {
    return staleCandidates().compose(list -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (StaleList.Candidate c : list.candidates()) {
        chain = chain.compose(n -> reap(c, list.staleDays()).map(ok -> ok ? n + 1 : n));
      }
      return chain;
    }).compose(reaped -> {
      Instant olderThan = clock.instant().minus(Duration.ofDays(config.archiveDays()));
      return bus.request(PurgeArchivesRequest.ADDRESS,
              Json.toJson(new PurgeArchivesRequest(olderThan)))
          .map(reply -> Json.fromJson((JsonObject) reply.body(), PurgeResult.class).purged())
          .onSuccess(purged -> {
            if (purged > 0) {
              log.info("{} archived auth states older than {} days purged", purged,
                  config.archiveDays());
            }
          })
          .otherwise(err -> {
            log.warn("purging old archives failed: {}", describe(err));
            return 0;
          })
          .map(ignored -> reaped);
    });
  }

  private Future<Boolean> reap(StaleList.Candidate c, int staleDays) {
    String org = c.org();
    String reason = "stale: no activity for " + staleDays + " days";
    return bus.request(ClearRequest.ADDRESS, Json.toJson(new ClearRequest(org, ACTOR, reason)))
        .compose(cleared -> bus.request(ForgetRequest.ADDRESS,
            Json.toJson(new ForgetRequest(org, ACTOR))))
        .map(forgotten -> {
          String sentence = "Stale session: not connected and no activity for " + c.idleDays()
              + " days (limit " + staleDays + "): credentials archived and the session removed";
          orgInfo(org, "org {}: {}", org, sentence);
          append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION, c.state(), null,
              null, sentence, ACTOR));
          OrgSession s = orgs.remove(org);
          if (s != null) {
            cancelPending(s);
            metrics.forgotten(s.state);
          }
          healthBook.forget(org);
          decrypts.forget(org);
          return true;
        })
        .otherwise(err -> {
          orgWarn(org, "org {}: reaping the stale session failed: {}", org, describe(err));
          return false;
        });
  }

  // ---- logs: every line about one org carries it in the MDC ---------------------------------

  private void orgInfo(String org, String format, Object... args) {
    OrgMdc.run(org, () -> log.info(format, args));
  }

  private void orgWarn(String org, String format, Object... args) {
    OrgMdc.run(org, () -> log.warn(format, args));
  }

  private void orgError(String org, String format, Object... args) {
    OrgMdc.run(org, () -> log.error(format, args));
  }

  // ---- alert delivery ------------------------------------------------------------------------

  /** The org's own recipients from the dashboard; any failure means "none of its own". */
  private Future<AlertRecipients> recipientsOf(String org) {
    return bus.request(OrgSettingsQuery.ADDRESS, Json.toJson(new OrgSettingsQuery(org)))
        .map(reply -> {
          OrgSettings o = Json.fromJson((JsonObject) reply.body(), OrgSettings.class);
          return new AlertRecipients(o.alertEmails(),
              o.webhookUrl() == null ? List.of() : List.of(o.webhookUrl()), o.language());
        })
        .otherwise(err -> AlertRecipients.none());
  }

  private void onAlertOutcome(AlertOutcome outcome) {
    if (AlertOutcome.DELIVERED.equals(outcome.status())) {
      metrics.alertSent(outcome.kind(), outcome.channel());
    }
    append(outcome.toJournalEntry());
  }

  private static String messageKind(AlertKind kind) {
    return switch (kind) {
      case CONFLICT -> AlertMessage.CONFLICT;
      case LOGGED_OUT -> AlertMessage.LOGGED_OUT;
      case BANNED -> AlertMessage.BANNED;
      case OUTDATED -> AlertMessage.OUTDATED;
      case RECONNECT_FAILED -> AlertMessage.BREAKER_OPEN;
      case BAD_SESSION -> AlertMessage.BAD_SESSION;
      case DECRYPT_DEGRADED -> AlertMessage.DECRYPT_DEGRADED;
    };
  }

  // ---- journal query -------------------------------------------------------------------------

  private void onJournalQuery(Message<Object> msg) {
    JournalQuery query;
    try {
      if (!(msg.body() instanceof JsonObject body)) {
        msg.fail(Failure.BAD_INPUT, "a journal query is a JSON object {org, limit}");
        return;
      }
      query = Json.fromJson(body, JournalQuery.class);
    } catch (RuntimeException e) {
      msg.fail(Failure.BAD_INPUT, "a journal query is {org, limit}");
      return;
    }
    if (!OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
      return;
    }
    if (query.limit() < 1 || query.limit() > JournalQuery.MAX_LIMIT) {
      msg.fail(Failure.BAD_INPUT, "limit must be 1 to " + JournalQuery.MAX_LIMIT);
      return;
    }
    journal.newestFirst(query.org(), query.limit())
        .onSuccess(entries -> msg.reply(Json.toJson(new JournalPage(entries))))
        .onFailure(err -> {
          orgWarn(query.org(), "org {}: journal read failed: {}", query.org(), describe(err));
          msg.fail(Failure.UNAVAILABLE, "the journal cannot be read now");
        });
  }

  // ---- outputs -------------------------------------------------------------------------------

  private void alert(String org, AlertKind kind, String message, Instant now, Cause cause) {
    bus.publish(Alert.ADDRESS, Json.toJson(new Alert(org, kind.kind(), kind.severity(), message,
        now)));
    append(new JournalEntry(org, now, JournalEntry.ALERT, null, null, null,
        "Alert raised: " + kind.kind() + " (" + kind.severity() + ")", ACTOR));
    OrgSession s = orgs.computeIfAbsent(org, k -> new OrgSession());
    s.alerted = true;
    // the dispatcher keeps one delivery per (org, kind) per cooldown and journals each outcome
    alerts.dispatch(new AlertMessage(org, messageKind(kind), kind.severity(), cause, message, now));
  }

  private void health(String org, String status, String reason, Instant now) {
    bus.publish(HealthChange.ADDRESS, Json.toJson(new HealthChange(org, status, reason, now)));
  }

  private void append(JournalEntry entry) {
    journal.append(entry).onFailure(err ->
        orgError(entry.org(), "org {}: journal append failed: {}", entry.org(), describe(err)));
  }

  /** No gateway answered, or it answered that its engine is unavailable. */
  private static boolean isOutage(Throwable err) {
    if (err instanceof ReplyException re) {
      return re.failureType() == ReplyFailure.NO_HANDLERS
          || re.failureType() == ReplyFailure.TIMEOUT
          || (re.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && re.failureCode() == Failure.UNAVAILABLE);
    }
    return false;
  }

  private static String describe(Throwable err) {
    if (err instanceof ReplyException re) {
      return re.failureType() + " " + re.failureCode() + " " + re.getMessage();
    }
    return err.getClass().getSimpleName() + ": " + err.getMessage();
  }
}
