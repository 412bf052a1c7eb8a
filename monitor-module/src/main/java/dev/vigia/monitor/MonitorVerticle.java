package dev.vigia.monitor;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.alert.Alert;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.journal.StateSentence;
import dev.vigia.monitor.policy.AlertKind;
import dev.vigia.monitor.policy.Decision;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import dev.vigia.monitor.policy.OrgHistory;
import dev.vigia.monitor.policy.PolicyInput;
import dev.vigia.monitor.policy.SessionPolicy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
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

  private final Journal journal;
  private final Clock clock;
  private final SessionPolicy policy;
  private final DecryptFailureTracker decrypts;
  private final Map<String, OrgSession> orgs = new HashMap<>();
  private EventBus bus;

  /** What the monitor holds of one org between events. */
  private static final class OrgSession {
    OrgHistory history = OrgHistory.empty();
    SessionState state;
    /** Bumped by every new decision: a late reply or timer of an older one does nothing. */
    long generation;
    long timerId = -1;
    /** The close reason the pending retry waits on (network_down: woken when the network is back). */
    String waitingOn;
  }

  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random) {
    this(config, journal, clock, random, MonitorSettings.defaults());
  }

  public MonitorVerticle(VigiaConfig config, Journal journal, Clock clock, RandomGenerator random,
      MonitorSettings settings) {
    this.journal = journal;
    this.clock = clock;
    this.policy = settings.policy(random);
    this.decrypts = settings.decryptTracker();
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(StateChange.ADDRESS, this::onStateChange).completion(),
        bus.<JsonObject>consumer(Activity.ADDRESS, this::onActivity).completion(),
        bus.<Object>consumer(JournalQuery.ADDRESS, this::onJournalQuery).completion()));
  }

  @Override
  public Future<?> stop() {
    orgs.values().forEach(this::cancelPending);
    return Future.succeededFuture();
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
    s.state = change.to();
    if (change.to() != SessionState.RECONNECTING) {
      // a pending retry only makes sense while RECONNECTING: a person or the gateway moved on
      cancelPending(s);
    }
    decideAndApply(org, s, PolicyInput.of(change, s.history, now));
    if (change.to() == SessionState.STOPPED || change.to() == SessionState.LOGGED_OUT) {
      forgetDecrypts(org, now);
    }
    if (change.to() == SessionState.CONNECTED
        || (change.cause() != null && Cause.NETWORK_UP.equals(change.cause().reason()))) {
      wakeNetworkWaiters(org, now);
    }
  }

  private void decideAndApply(String org, OrgSession s, PolicyInput in) {
    Decision d = policy.decide(in);
    s.history = policy.remember(in, d);
    if (d instanceof Decision.Ignore) {
      return;
    }
    log.info("org {}: {}", org, d.reason());
    append(new JournalEntry(org, in.now(), JournalEntry.DECISION, in.from(), in.state(),
        in.cause(), d.reason(), ACTOR));
    if (d.alert() != null) {
      alert(org, d.alert(), d.reason(), in.now());
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
          long delay = Math.max(1, Duration.between(clock.instant(), r.nextAt()).toMillis());
          s.timerId = vertx.setTimer(delay, id -> {
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
        .onFailure(err -> log.warn("org {}: archiving after a failed link failed: {}", org,
            describe(err)));
  }

  /** When the network is back for one org, the others waiting on a network_down retry now. */
  private void wakeNetworkWaiters(String wokenBy, Instant now) {
    orgs.forEach((org, s) -> {
      if (!org.equals(wokenBy) && s.timerId != -1 && Cause.NETWORK_DOWN.equals(s.waitingOn)) {
        cancelPending(s);
        String reason = "The network is back (org " + wokenBy + " connected): retrying now";
        log.info("org {}: {}", org, reason);
        append(new JournalEntry(org, now, JournalEntry.DECISION, s.state, s.state, null, reason,
            ACTOR));
        connect(org, s);
      }
    });
  }

  private void connect(String org, OrgSession s) {
    long generation = s.generation;
    bus.request(ConnectRequest.ADDRESS,
            Json.toJson(new ConnectRequest(org, ConnectRequest.QR, null, false, ACTOR)))
        .onFailure(err -> {
          log.warn("org {}: connect failed: {}", org, describe(err));
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
        .onFailure(err -> log.warn("org {}: settle {} failed: {}", org, state, describe(err)));
  }

  private void cancelPending(OrgSession s) {
    s.generation++;
    if (s.timerId != -1) {
      vertx.cancelTimer(s.timerId);
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
    if (!Activity.DECRYPT_FAILURE.equals(activity.kind()) || !OrgId.isValid(activity.org())) {
      return;
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
      log.info("org {}: {}", org, reason);
      append(new JournalEntry(org, now, JournalEntry.REPAIR, null, null, null, reason, ACTOR));
      bus.request(RepairRequest.ADDRESS, Json.toJson(new RepairRequest(org, contact, reason)))
          .onFailure(err -> log.warn("org {}: repair failed: {}", org, describe(err)));
    }
    if (v.becameDegraded()) {
      String reason = "Decrypt failures across many contacts: the stored keys may be damaged;"
          + " if this goes on, clear the session and link it again";
      health(org, HealthChange.DEGRADED, reason, now);
      append(new JournalEntry(org, now, JournalEntry.DECISION, null, null, null, reason, ACTOR));
      alert(org, AlertKind.DECRYPT_DEGRADED, reason, now);
    } else if (v.recovered()) {
      health(org, HealthChange.OK, "Decrypt failures are back under the threshold", now);
    }
  }

  private void forgetDecrypts(String org, Instant now) {
    if (decrypts.isDegraded(org)) {
      health(org, HealthChange.OK, "Session stopped: old decrypt failures no longer count", now);
    }
    decrypts.forget(org);
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
          log.warn("org {}: journal read failed: {}", query.org(), describe(err));
          msg.fail(Failure.UNAVAILABLE, "the journal cannot be read now");
        });
  }

  // ---- outputs -------------------------------------------------------------------------------

  private void alert(String org, AlertKind kind, String message, Instant now) {
    bus.publish(Alert.ADDRESS, Json.toJson(new Alert(org, kind.kind(), kind.severity(), message,
        now)));
    append(new JournalEntry(org, now, JournalEntry.ALERT, null, null, null,
        "Alert raised: " + kind.kind() + " (" + kind.severity() + ")", ACTOR));
  }

  private void health(String org, String status, String reason, Instant now) {
    bus.publish(HealthChange.ADDRESS, Json.toJson(new HealthChange(org, status, reason, now)));
  }

  private void append(JournalEntry entry) {
    journal.append(entry).onFailure(err ->
        log.error("org {}: journal append failed: {}", entry.org(), describe(err)));
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
