package dev.vigia.monitor.stale;

import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.session.SessionView;
import dev.vigia.monitor.gateway.GatewayCommands;
import dev.vigia.monitor.gateway.GatewayError;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.StaleRule;
import dev.vigia.monitor.time.Scheduler;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §3's stale row as a daily job: sessions at rest and idle for {@code staleDays} are
 * archived ({@code clear}) and removed ({@code forget}); then archives older than
 * {@code archiveDays} are purged. {@link #candidates()} is the dry run. Use from one event loop.
 */
public final class StaleReaper {

  /** How often the job runs. */
  public static final Duration EVERY = Duration.ofDays(1);

  private static final Logger log = LoggerFactory.getLogger(StaleReaper.class);

  private final GatewayCommands gateway;
  private final Scheduler scheduler;
  private final Clock clock;
  private final JournalWriter journal;
  private final MonitorMetrics metrics;
  private final int staleDays;
  private final int archiveDays;
  private final Consumer<String> reaped;
  private final String actor;
  private final Ownership ownership;
  private long task = -1;

  /** @param reaped told of each org removed, so the other jobs forget it too */
  public StaleReaper(GatewayCommands gateway, Scheduler scheduler, Clock clock,
      JournalWriter journal, MonitorMetrics metrics, int staleDays, int archiveDays,
      Consumer<String> reaped, String actor) {
    this(gateway, scheduler, clock, journal, metrics, staleDays, archiveDays, reaped, actor,
        Ownership.everyOrg());
  }

  /** @param ownership only the sessions this node owns are reaped here (the dry run lists all) */
  public StaleReaper(GatewayCommands gateway, Scheduler scheduler, Clock clock,
      JournalWriter journal, MonitorMetrics metrics, int staleDays, int archiveDays,
      Consumer<String> reaped, String actor, Ownership ownership) {
    this.ownership = ownership;
    this.gateway = gateway;
    this.scheduler = scheduler;
    this.clock = clock;
    this.journal = journal;
    this.metrics = metrics;
    this.staleDays = staleDays;
    this.archiveDays = archiveDays;
    this.reaped = reaped;
    this.actor = actor;
  }

  /** Books the first run {@link #EVERY} from now; each run books the next. */
  public void start() {
    task = scheduler.after(EVERY, () -> {
      task = -1;
      reapNow().onComplete(ar -> start());
    });
  }

  public void stop() {
    if (task != -1) {
      scheduler.cancel(task);
      task = -1;
    }
  }

  /** Sessions the job would archive now (dry run). */
  public Future<StaleList> candidates() {
    return gateway.list().map(sessions -> {
      Instant now = clock.instant();
      List<StaleList.Candidate> out = new ArrayList<>();
      for (SessionView v : sessions) {
        StaleRule.candidate(v, now, staleDays).ifPresent(out::add);
      }
      return new StaleList(staleDays, out);
    });
  }

  /** One run: reaps every candidate, one after another, then purges old archives. */
  public Future<Integer> reapNow() {
    return candidates().compose(list -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (StaleList.Candidate c : list.candidates()) {
        if (!ownership.owns(c.org())) {
          continue; // its owner's reaper removes it: once
        }
        chain = chain.compose(n -> reap(c).map(ok -> ok ? n + 1 : n));
      }
      return chain;
    }).compose(count -> purge().map(ignored -> count));
  }

  private Future<Boolean> reap(StaleList.Candidate c) {
    String org = c.org();
    String reason = "stale: no activity for " + staleDays + " days";
    return gateway.clear(org, reason)
        .compose(cleared -> gateway.forget(org))
        .compose(forgotten -> {
          String sentence = "Stale session: not connected and no activity for " + c.idleDays()
              + " days (limit " + staleDays + "): credentials archived and the session removed";
          OrgMdc.run(org, () -> log.info("org {}: {}", org, sentence));
          reaped.accept(org);
          return journal.append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION,
              c.state(), null, null, sentence, actor)).map(true);
        })
        .recover(err -> {
          metrics.reaperFailure();
          String failed = "Removing the stale session failed (" + GatewayError.of(err).describe()
              + "); the next daily run tries again";
          OrgMdc.run(org, () -> log.warn("org {}: {}", org, failed));
          return journal.append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION,
              c.state(), null, null, failed, actor)).map(false);
        });
  }

  private Future<Integer> purge() {
    Instant olderThan = clock.instant().minus(Duration.ofDays(archiveDays));
    return gateway.purgeArchives(olderThan)
        .onSuccess(purged -> {
          if (purged > 0) {
            log.info("{} archived auth states older than {} days purged", purged, archiveDays);
          }
        })
        .recover(err -> {
          metrics.reaperFailure();
          // not about one org: counted and logged; the archives stay until the next run
          log.warn("purging archives older than {} days failed, tried again tomorrow: {}",
              archiveDays, GatewayError.of(err).describe());
          return Future.succeededFuture(0);
        });
  }
}
