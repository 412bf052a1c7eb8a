package dev.vigia.monitor.reconnect;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.Masked;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.gateway.GatewayCommands;
import dev.vigia.monitor.gateway.GatewayError;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.metrics.MonitorMetrics;
import dev.vigia.monitor.policy.AlertKind;
import dev.vigia.monitor.policy.Decision;
import dev.vigia.monitor.policy.OrgHistory;
import dev.vigia.monitor.policy.PolicyInput;
import dev.vigia.monitor.policy.ReconnectBackoff;
import dev.vigia.monitor.policy.SessionPolicy;
import dev.vigia.monitor.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconnect half of DESIGN §3: each state change goes to {@link SessionPolicy}, and its
 * decision is journaled, then carried out through {@link GatewayCommands} (settle, connect now or
 * when the attempt is due, archive and offer a new QR).
 *
 * <p>Every command carries the {@code seq} of the state it was decided for, so the gateway
 * refuses (409) a decision about a session that has moved on — a person's clear is never
 * overwritten by a retry decided before it — and such a decision is dropped with a journal line.
 * A settle that fails otherwise is tried again with backoff: an org is never left
 * {@code RECONNECTING} with nothing scheduled. A connect the gateway refuses for good (400, 404)
 * ends in {@code FAILED} with an alert. Not thread-safe: one event loop.
 */
public final class ReconnectDriver {

  /** Reason of a connect the gateway did not carry out (no answer, its own error). */
  public static final String CONNECT_FAILED = "connect_failed";

  private static final Logger log = LoggerFactory.getLogger(ReconnectDriver.class);

  private final SessionPolicy policy;
  private final ReconnectBackoff commandBackoff;
  private final GatewayCommands gateway;
  private final Scheduler scheduler;
  private final Clock clock;
  private final JournalWriter journal;
  private final AlertRouter alerts;
  private final MonitorMetrics metrics;
  private final Consumer<String> attemptStarted;
  private final String actor;
  private final Ownership ownership;
  private final Map<String, Track> orgs = new HashMap<>();
  /**
   * Orgs whose booked attempt waits on {@code network_down}: a connect wakes only these, instead
   * of a walk over every org's track on every {@code CONNECTED} (2,000 orgs at 250 connects a
   * second was half a million steps a second on the monitor's loop).
   */
  private final Set<String> networkWaiters = new LinkedHashSet<>();
  private boolean stopped;

  /** What the driver holds of one org between events. */
  private static final class Track {
    final String org;
    OrgHistory history = OrgHistory.empty();
    SessionState state;
    /** The seq of the newest state heard: what a command decided now is made for. */
    long seq;
    /** Bumped by every new decision: a late reply or timer of an older one does nothing. */
    long generation;
    long timerId = -1;
    /** The close reason the booked attempt waits on (network_down: woken when the network is back). */
    String waitingOn;
    /** The monitor cleared a failed link: the STOPPED that follows opens a new QR. */
    boolean offerQrWhenStopped;

    Track(String org) {
      this.org = org;
    }
  }

  /**
   * @param commandBackoff waits between tries of a settle that failed
   * @param attemptStarted told of every connect the driver sends (stats, metrics)
   */
  public ReconnectDriver(SessionPolicy policy, ReconnectBackoff commandBackoff,
      GatewayCommands gateway, Scheduler scheduler, Clock clock, JournalWriter journal,
      AlertRouter alerts, MonitorMetrics metrics, Consumer<String> attemptStarted, String actor) {
    this(policy, commandBackoff, gateway, scheduler, clock, journal, alerts, metrics,
        attemptStarted, actor, Ownership.everyOrg());
  }

  /**
   * @param ownership consulted before every command: an org this node no longer owns (cluster
   *     mode: its lease went to another node) is forgotten, its pending attempts with it
   */
  public ReconnectDriver(SessionPolicy policy, ReconnectBackoff commandBackoff,
      GatewayCommands gateway, Scheduler scheduler, Clock clock, JournalWriter journal,
      AlertRouter alerts, MonitorMetrics metrics, Consumer<String> attemptStarted, String actor,
      Ownership ownership) {
    this.ownership = ownership;
    this.policy = policy;
    this.commandBackoff = commandBackoff;
    this.gateway = gateway;
    this.scheduler = scheduler;
    this.clock = clock;
    this.journal = journal;
    this.alerts = alerts;
    this.metrics = metrics;
    this.attemptStarted = attemptStarted;
    this.actor = actor;
  }

  /**
   * True when a newer state of the org was already heard: nothing may be decided for this one
   * (a decision for an older state must never apply to a newer one).
   */
  public boolean isOlderThanKnown(StateChange change) {
    Track t = orgs.get(change.org());
    return t != null && change.seq() < t.seq;
  }

  /** One state change of one org, as the gateway published it (not older than one heard). */
  public void onChange(StateChange change, Instant now) {
    if (isOlderThanKnown(change)) {
      return;
    }
    String org = change.org();
    Track t = orgs.computeIfAbsent(org, Track::new);
    boolean offerQr = t.offerQrWhenStopped && change.to() == SessionState.STOPPED;
    t.state = change.to();
    t.seq = change.seq();
    if (change.to() != SessionState.RECONNECTING) {
      // a pending retry only makes sense while RECONNECTING: a person or the gateway moved on
      cancelPending(t);
    }
    decide(org, t, PolicyInput.of(change, t.history, now));
    if (offerQr && t.state == SessionState.STOPPED) {
      // the archive is done: the person who was linking gets a new QR at once
      connect(org, t);
    }
    if (change.to() == SessionState.CONNECTED
        || (change.cause() != null && Cause.NETWORK_UP.equals(change.cause().reason()))) {
      wakeNetworkWaiters(org, now);
    }
  }

  /** The org is gone from the gateway (reaped): nothing more is done for it. */
  public void forget(String org) {
    Track t = orgs.remove(org);
    if (t != null) {
      cancelPending(t);
    }
  }

  /** Cancels every pending attempt and retry; later replies change nothing. */
  public void stop() {
    stopped = true;
    orgs.values().forEach(this::cancelPending);
  }

  private void decide(String org, Track t, PolicyInput in) {
    Decision d = policy.decide(in);
    t.history = policy.remember(in, d);
    if (!(d instanceof Decision.Ignore)) {
      carryOut(org, t, d, in.from(), in.state(), in.cause(), in.now());
    }
  }

  /** Journals {@code d}, raises its alert, then (once the line is written) acts on it. */
  private void carryOut(String org, Track t, Decision d, SessionState from, SessionState to,
      Cause cause, Instant now) {
    cancelPending(t);
    long generation = t.generation;
    long forSeq = t.seq;
    orgLog(org, false, d.reason());
    // the why is on disk before the gateway acts on it, so a crash never leaves an unexplained state
    journal.append(new JournalEntry(org, now, JournalEntry.DECISION, from, to, cause, d.reason(),
            actor))
        .onComplete(written -> {
          if (t.generation == generation && !stopped) {
            apply(org, t, d, cause, forSeq);
          }
        });
    if (d.alert() != null) {
      alerts.raise(org, d.alert(), d.reason(), now, cause);
    }
  }

  private void apply(String org, Track t, Decision d, Cause cause, long forSeq) {
    if (!stillOwned(org)) {
      return;
    }
    if (d instanceof Decision.ConnectNow) {
      connect(org, t);
    } else if (d instanceof Decision.RetryLater r) {
      settle(org, t, SessionState.RECONNECTING, cause,
          new SessionView.Reconnect(r.attempt(), r.nextAt()), forSeq, 1,
          () -> attemptAt(org, t, r.nextAt(), cause == null ? null : cause.reason()));
    } else if (d instanceof Decision.Fail && t.state != SessionState.FAILED) {
      settle(org, t, SessionState.FAILED, cause, null, forSeq, 1, () -> { });
    } else if (d instanceof Decision.Stop && t.state != SessionState.STOPPED) {
      settle(org, t, SessionState.STOPPED, cause, null, forSeq, 1, () -> { });
    } else if (d instanceof Decision.ArchiveAndOfferQr a) {
      archiveAndOfferQr(org, t, a);
    }
    // AwaitPerson: a person decides; nothing is sent
  }

  /** Records the decision with the gateway, trying again with backoff until it is taken or moot. */
  private void settle(String org, Track t, SessionState state, Cause cause,
      SessionView.Reconnect reconnect, long forSeq, int tryNo, Runnable then) {
    if (!stillOwned(org)) {
      return;
    }
    long generation = t.generation;
    gateway.settle(org, state, cause, reconnect, forSeq).onComplete(ar -> {
      if (t.generation != generation || stopped) {
        return; // a newer decision replaced this one
      }
      if (ar.succeeded()) {
        if (tryNo > 1) {
          note(org, t, state, cause, "The gateway recorded the decision " + state + " at try "
              + tryNo);
        }
        then.run();
        return;
      }
      GatewayError err = GatewayError.of(ar.cause());
      if (err.isWrongState()) {
        dropped(org, "recording " + state, forSeq, err);
        return;
      }
      Duration wait = commandBackoff.delay(tryNo);
      String reason = "The gateway did not record the decision " + state + " (" + err.describe()
          + "): trying again in " + wait.toMillis() + " ms";
      orgLog(org, true, reason);
      if (tryNo == 1) {
        // one line per outage, not per try: the success (or a newer decision) closes it
        note(org, t, state, cause, reason + ", with backoff, until it is taken");
      }
      t.timerId = scheduler.after(wait, () -> {
        if (t.generation == generation && !stopped) {
          t.timerId = -1;
          settle(org, t, state, cause, reconnect, forSeq, tryNo + 1, then);
        }
      });
    });
  }

  private void attemptAt(String org, Track t, Instant nextAt, String waitingOn) {
    long generation = t.generation;
    t.waitingOn = waitingOn;
    if (Cause.NETWORK_DOWN.equals(waitingOn)) {
      networkWaiters.add(org);
    }
    t.timerId = scheduler.at(nextAt, () -> {
      if (t.generation == generation && !stopped) {
        t.timerId = -1;
        t.waitingOn = null;
        networkWaiters.remove(org);
        connect(org, t);
      }
    });
  }

  private void connect(String org, Track t) {
    if (!stillOwned(org)) {
      return;
    }
    long generation = t.generation;
    long forSeq = t.seq;
    attemptStarted.accept(org);
    gateway.connect(org, forSeq).onFailure(e -> {
      if (t.generation != generation || stopped) {
        return; // a state change has already told what happened (the gateway publishes first)
      }
      GatewayError err = GatewayError.of(e);
      orgLog(org, true, "connect failed: " + err.describe());
      if (err.isWrongState()) {
        dropped(org, "the reconnect", forSeq, err);
      } else if (err.isRefusal()) {
        Cause why = new Cause(err.code(), CONNECT_FAILED, err.getMessage());
        carryOut(org, t, new Decision.Fail(AlertKind.BREAKER_OPEN, "The gateway refused the"
            + " reconnect (" + err.describe() + "): automatic reconnecting stopped; connect by"
            + " hand once the cause is fixed"), t.state, SessionState.FAILED, why, clock.instant());
      } else {
        // nothing was opened (no gateway, engine down, its own error): a failed attempt
        decide(org, t, new PolicyInput(t.state, SessionState.RECONNECTING,
            new Cause(null, CONNECT_FAILED, "the gateway could not open the connection: "
                + err.describe()), false, t.history, clock.instant()));
      }
    });
  }

  private void archiveAndOfferQr(String org, Track t, Decision.ArchiveAndOfferQr a) {
    if (!stillOwned(org)) {
      return;
    }
    long generation = t.generation;
    t.offerQrWhenStopped = true;
    gateway.clear(org, a.reason()).onFailure(e -> {
      if (t.generation != generation || stopped) {
        return;
      }
      t.offerQrWhenStopped = false;
      String reason = "Archiving the credentials after the failed link failed ("
          + GatewayError.of(e).describe() + "): clear the session, then connect for a new QR";
      orgLog(org, true, reason);
      journal.append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION, t.state,
          t.state, null, reason, actor));
      alerts.raise(org, AlertKind.LOGGED_OUT, reason, clock.instant(), null);
    });
  }

  /**
   * False, and the org forgotten, when this node no longer owns it: its new owner's monitor
   * decides for it now, and a command from here would be a second one.
   */
  private boolean stillOwned(String org) {
    if (ownership.owns(org)) {
      return true;
    }
    forget(org);
    orgLog(org, false, "not acted on: this node no longer owns the session");
    return false;
  }

  /** When the network is back for one org, the others waiting on a network_down retry now. */
  private void wakeNetworkWaiters(String wokenBy, Instant now) {
    if (networkWaiters.isEmpty()) {
      return;
    }
    for (String org : List.copyOf(networkWaiters)) {
      Track t = orgs.get(org);
      if (t != null && !org.equals(wokenBy) && t.timerId != -1
          && Cause.NETWORK_DOWN.equals(t.waitingOn)) {
        cancelPending(t);
        String reason = "The network is back (org " + wokenBy + " connected): retrying now";
        orgLog(org, false, reason);
        journal.append(new JournalEntry(org, now, JournalEntry.DECISION, t.state, t.state, null,
            reason, actor));
        connect(org, t);
      }
    }
  }

  private void note(String org, Track t, SessionState state, Cause cause, String message) {
    journal.append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION, t.state, state,
        cause, message, actor));
  }

  /** The gateway refused a command made for an older state: the newer state stands. */
  private void dropped(String org, String what, long forSeq, GatewayError err) {
    metrics.decisionDropped();
    String reason = "Decision dropped: the session changed after it was made (state #" + forSeq
        + "); the gateway refused " + what + " (" + err.describe() + ")";
    orgLog(org, false, reason);
    journal.append(new JournalEntry(org, clock.instant(), JournalEntry.DECISION, null, null, null,
        reason, actor));
  }

  private void cancelPending(Track t) {
    t.generation++;
    if (t.timerId != -1) {
      scheduler.cancel(t.timerId);
      t.timerId = -1;
    }
    t.waitingOn = null;
    networkWaiters.remove(t.org);
    t.offerQrWhenStopped = false;
  }

  // every line about one org carries it in the MDC, and never a whole phone number
  private static void orgLog(String org, boolean warn, String message) {
    String masked = Masked.in(message);
    OrgMdc.run(org, () -> {
      if (warn) {
        log.warn("org {}: {}", org, masked);
      } else {
        log.info("org {}: {}", org, masked);
      }
    });
  }
}
