package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.RepairResult;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.Json;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.OrgQueue;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.StateAfterClose;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's mechanism: one state per org, changed only by commands and engine events, each
 * applied in order per org, every change published and remembered. It never decides to reconnect
 * (except to resume, after a restart, a connection that was wanted). Runs on one context.
 */
final class SessionGateway {

  private static final Logger LOG = LoggerFactory.getLogger(SessionGateway.class);

  /** States with an engine session working or holding a connection. */
  private static final Set<SessionState> LIVE = EnumSet.of(SessionState.STARTING,
      SessionState.QR_REQUIRED, SessionState.PAIRING_CODE, SessionState.CONNECTED);
  private static final Set<SessionState> SETTLE_STATES = EnumSet.of(SessionState.RECONNECTING,
      SessionState.FAILED, SessionState.STOPPED);
  private static final Pattern CONTACT = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern PHONE = Pattern.compile("^[0-9]{7,15}$");
  private static final int MAX_TEXT = 65_536;
  private static final int RECEIPTS_PER_ORG = 1_000;
  private static final String MONITOR = "monitor";

  private final Vertx vertx;
  private final Engine engine;
  private final AuthStateStore store;
  private final SessionRecordStore records;
  private final Clock clock;
  private final OrgQueue queue = new OrgQueue();
  private final Map<String, OrgSession> sessions = new HashMap<>();
  private final Map<String, Map<String, SendReceipt>> receipts = new HashMap<>();
  private boolean stopping;

  SessionGateway(Vertx vertx, Engine engine, AuthStateStore store, SessionRecordStore records,
      Clock clock) {
    this.vertx = vertx;
    this.engine = engine;
    this.store = store;
    this.records = records;
    this.clock = clock;
  }

  // ---- start and stop ----

  /** Loads the records; reopens every wanted connection that has linked credentials. */
  Future<Void> restore() {
    return records.loadAll().compose(loaded -> {
      List<Future<?>> resumed = new ArrayList<>();
      for (SessionRecord record : loaded) {
        OrgSession s = OrgSession.from(record);
        sessions.put(record.org(), s);
        if (record.connectionWanted() || LIVE.contains(record.state())) {
          resumed.add(queue.run(record.org(), () -> resume(s)));
        }
      }
      return Future.join(resumed).transform(ignored -> Future.<Void>succeededFuture());
    });
  }

  private Future<Void> resume(OrgSession s) {
    return store.readCreds(s.org).compose(creds -> {
      if (s.connectionWanted && isLinked(creds)) {
        log(s.org, "resuming the connection wanted before the restart");
        return open(s, null, new Cause(null, Cause.RESTORED, "Reconnecting after a restart"))
            .transform(ignored -> Future.<Void>succeededFuture());
      }
      s.connectionWanted = false;
      return transition(s, SessionState.STOPPED, new Cause(null, Cause.RESTORED,
          "No linked credentials after a restart; connect again"));
    });
  }

  /**
   * Linked: a device identity signed by the phone ({@code account}, stored by Baileys at
   * pair-success). Baileys sets {@code registered} only after a pairing-code link, never after a
   * QR scan, and sets {@code me} already when it asks for a pairing code.
   */
  private static boolean isLinked(JsonObject creds) {
    return creds != null && creds.getJsonObject("me") != null
        && (creds.getValue("account") != null || creds.getBoolean("registered", false));
  }

  /** Closes every engine session without changing any state: a restart resumes them. */
  Future<Void> shutdown() {
    stopping = true;
    return queue.drained().compose(v -> {
      for (OrgSession s : sessions.values()) {
        if (s.engineSession != null) {
          s.engineSession.close();
          s.engineSession = null;
          s.attempt = null;
        }
      }
      return engine.close();
    });
  }

  // ---- commands ----

  Future<SessionView> connect(ConnectRequest r) {
    String org = org(r.org());
    String method = r.method() == null ? ConnectRequest.QR : r.method();
    String phone = null;
    if (method.equals(ConnectRequest.PAIRING_CODE)) {
      phone = r.phone() == null ? "" : r.phone().replaceAll("[\\s+()-]", "");
      if (!PHONE.matcher(phone).matches()) {
        throw new GatewayFailure(Failure.BAD_INPUT,
            "pairing_code needs the phone number with country code, 7 to 15 digits");
      }
    } else if (!method.equals(ConnectRequest.QR)) {
      throw new GatewayFailure(Failure.BAD_INPUT, "method must be qr or pairing_code");
    }
    String pairingPhone = phone;
    return queue.run(org, () -> {
      OrgSession s = session(org);
      if (LIVE.contains(s.state)) {
        return Future.succeededFuture(view(s));
      }
      if (s.state == SessionState.BANNED) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "WhatsApp restricted this account; connecting again cannot help. Clear the session"
                + " to link another phone"));
      }
      if (s.state == SessionState.CONFLICT && !r.takeover()) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "another client uses these credentials (440): a person must choose take over"
                + " (connect with takeover) or clear"));
      }
      return open(s, pairingPhone, connectCause(r));
    });
  }

  private static Cause connectCause(ConnectRequest r) {
    if (r.takeover()) {
      return Cause.userRequest("Take over: this client replaces the other one");
    }
    if (MONITOR.equals(r.actor())) {
      return new Cause(null, "reconnect", "Reconnect attempt by the monitor");
    }
    return Cause.userRequest("Connect requested by " + actorName(r.actor()));
  }

  private Future<SessionView> open(OrgSession s, String pairingPhone, Cause cause) {
    closeEngineSession(s);
    s.connectionWanted = true;
    Attempt attempt = new Attempt();
    s.attempt = attempt;
    return transition(s, SessionState.STARTING, cause).compose(saved -> {
      EngineSession es = engine.open(s.org, store, new Listener(s.org, attempt));
      s.engineSession = es;
      return es.start(pairingPhone).transform(ar -> {
        if (ar.succeeded()) {
          return Future.succeededFuture(view(s));
        }
        warn(s.org, "engine could not start a session: " + ar.cause());
        if (s.attempt == attempt) {
          closeEngineSession(s);
          return transition(s, SessionState.RECONNECTING,
                  new Cause(null, "engine_unavailable", "The WhatsApp engine could not start"))
              .transform(ignored -> Future.failedFuture(new GatewayFailure(Failure.UNAVAILABLE,
                  "the WhatsApp engine is not available; try again later")));
        }
        return Future.succeededFuture(view(s));
      });
    });
  }

  Future<SessionView> disconnect(DisconnectRequest r) {
    String org = org(r.org());
    return queue.run(org, () -> {
      OrgSession s = session(org);
      boolean hadSession = s.engineSession != null;
      closeEngineSession(s);
      s.connectionWanted = false;
      if (!hadSession && s.state == SessionState.STOPPED) {
        return Future.succeededFuture(view(s));
      }
      return transition(s, SessionState.STOPPED,
          Cause.userRequest("Disconnected by " + actorName(r.actor()))).map(v -> view(s));
    });
  }

  Future<ClearResult> clear(ClearRequest r) {
    String org = org(r.org());
    String reason = r.reason() == null || r.reason().isBlank() ? "Session cleared" : r.reason();
    return queue.run(org, () -> {
      OrgSession s = session(org);
      closeEngineSession(s);
      return archive(s, reason, actorName(r.actor()));
    });
  }

  Future<ClearResult> logout(LogoutRequest r) {
    String org = org(r.org());
    String reason = r.reason() == null || r.reason().isBlank() ? "Logged out" : r.reason();
    return queue.run(org, () -> {
      OrgSession s = session(org);
      EngineSession es = s.engineSession;
      Future<Void> unlinked = Future.succeededFuture();
      if (es != null && s.state == SessionState.CONNECTED) {
        s.engineSession = null;
        s.attempt = null;
        unlinked = es.logout().recover(e -> {
          warn(org, "engine logout failed, clearing anyway: " + e);
          return es.close();
        });
      } else {
        closeEngineSession(s);
      }
      return unlinked.compose(v -> archive(s, reason, actorName(r.actor())));
    });
  }

  /** Moves the auth state to the archive and goes STOPPED; the engine session is closed. */
  private Future<ClearResult> archive(OrgSession s, String reason, String actor) {
    s.connectionWanted = false;
    receipts.remove(s.org);
    return store.clear(s.org, reason).transform(ar -> {
      if (ar.failed()) {
        warn(s.org, "could not archive the auth state: " + ar.cause());
        return transition(s, SessionState.STOPPED, Cause.userRequest(
                "Disconnected; the auth state could not be archived"))
            .transform(ignored -> Future.failedFuture(new GatewayFailure(500,
                "the session could not be cleared; the auth state is unchanged")));
      }
      s.me = null;
      String archivedTo = ar.result();
      log(s.org, "auth state archived by " + actor);
      return transition(s, SessionState.STOPPED, Cause.userRequest(reason))
          .map(v -> new ClearResult(view(s), archivedTo));
    });
  }

  /** The reaper removes an idle org whose auth state is already archived. */
  Future<JsonObject> forget(ForgetRequest r) {
    String org = org(r.org());
    return queue.run(org, () -> {
      OrgSession s = sessions.get(org);
      if (s != null && (s.engineSession != null || LIVE.contains(s.state))) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "the session is " + s.state + "; only a session that is not live can be forgotten"));
      }
      return store.readCreds(org).compose(creds -> {
        if (creds != null) {
          return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
              "the session still has credentials; clear it to the archive first"));
        }
        sessions.remove(org);
        receipts.remove(org);
        return records.delete(org).map(v -> {
          log(org, "session forgotten by " + actorName(r.actor()));
          return new JsonObject();
        });
      });
    });
  }

  Future<PurgeResult> purgeArchives(PurgeArchivesRequest r) {
    if (r.olderThan() == null) {
      throw new GatewayFailure(Failure.BAD_INPUT, "olderThan is required");
    }
    return store.purgeArchives(r.olderThan()).map(PurgeResult::new);
  }

  Future<SessionView> status(StatusRequest r) {
    String org = org(r.org());
    // a query must not add the org to the list (a forgotten org stays forgotten)
    return queue.run(org, () -> Future.succeededFuture(
        view(sessions.getOrDefault(org, new OrgSession(org)))));
  }

  Future<SessionList> list() {
    return store.list().map(stored -> {
      Map<String, SessionView> views = new TreeMap<>();
      sessions.values().forEach(s -> views.put(s.org, view(s)));
      for (AuthStateStore.StoredSession st : stored) {
        views.computeIfAbsent(st.org(), org -> new SessionView(org, SessionState.STOPPED, null,
            null, null, null, null, st.lastWrite(), null, null, null));
      }
      return new SessionList(List.copyOf(views.values()));
    });
  }

  Future<SendReceipt> send(SendRequest r) {
    String org = org(r.org());
    if (r.to() == null || r.to().isBlank() || r.to().length() > 128) {
      throw new GatewayFailure(Failure.BAD_INPUT, "to must be a phone number or jid");
    }
    if (r.text() == null || r.text().isEmpty() || r.text().length() > MAX_TEXT) {
      throw new GatewayFailure(Failure.BAD_INPUT, "text must have 1 to " + MAX_TEXT + " characters");
    }
    String key = r.idempotencyKey();
    return queue.run(org, () -> {
      Map<String, SendReceipt> seen = receipts.get(org);
      if (key != null && seen != null && seen.containsKey(key)) {
        return Future.succeededFuture(seen.get(key));
      }
      OrgSession s = session(org);
      if (s.state != SessionState.CONNECTED || s.engineSession == null) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "the session is " + s.state + "; messages can be sent only when CONNECTED"));
      }
      return s.engineSession.send(r.to(), r.text(), key).transform(ar -> {
        if (ar.failed()) {
          warn(org, "send failed: " + ar.cause());
          return Future.failedFuture(new GatewayFailure(Failure.UNAVAILABLE,
              "the message could not be sent; try again"));
        }
        if (key != null) {
          receipts.computeIfAbsent(org, k -> boundedMap()).put(key, ar.result());
        }
        return Future.succeededFuture(ar.result());
      });
    });
  }

  private static Map<String, SendReceipt> boundedMap() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SendReceipt> eldest) {
        return size() > RECEIPTS_PER_ORG;
      }
    };
  }

  /** Deletes one contact's Signal sessions ({@code session-<contact>.<device>}); creds stay. */
  Future<RepairResult> repair(RepairRequest r) {
    String org = org(r.org());
    String contact = contactOf(r.contact());
    return queue.run(org, () -> store.readCreds(org).compose(creds -> {
      if (creds == null && !sessions.containsKey(org)) {
        return Future.failedFuture(new GatewayFailure(Failure.UNKNOWN,
            "this organization has no session to repair"));
      }
      return contactSessionIds(org, contact).compose(ids -> {
        Map<String, String> deletions = new HashMap<>();
        ids.forEach(id -> deletions.put(id, null));
        Future<Void> deleted = ids.isEmpty() ? Future.succeededFuture()
            : store.setKeys(org, Map.of("session", deletions));
        return deleted.map(v -> {
          log(org, "repair removed " + ids.size() + " Signal session key(s) of one contact");
          Instant now = clock.instant();
          publishActivity(new Activity(org, Activity.REPAIRED, contact,
              "removed " + ids.size() + " Signal session key(s)", now));
          return new RepairResult(org, contact, ids.size());
        });
      });
    }));
  }

  /**
   * The Signal session keys of one contact. Baileys keys a session by the contact's WhatsApp LID
   * when it knows one ({@code session-<lid>_1.<device>}, which is how WhatsApp addresses contacts
   * now) and by the number otherwise ({@code session-<number>.<device>}); {@code lid-mapping-<number>}
   * says which LID a number has.
   */
  private Future<List<String>> contactSessionIds(String org, String contact) {
    Future<String> lid = store.getKeys(org, "lid-mapping", List.of(contact))
        .map(found -> found.containsKey(contact) ? io.vertx.core.json.Json.decodeValue(found.get(contact), String.class) : null);
    return lid.compose(mapped -> {
      List<String> prefixes = new ArrayList<>(List.of(contact + ".", contact + "_1."));
      if (mapped != null && mapped.matches("[0-9]{1,32}")) {
        prefixes.add(mapped + "_1.");
      }
      List<Future<List<String>>> found = prefixes.stream()
          .map(prefix -> store.keyIds(org, "session", prefix)).toList();
      return Future.all(found).map(all -> found.stream().flatMap(f -> f.result().stream())
          .distinct().toList());
    });
  }

  /** A jid ({@code 521…@s.whatsapp.net}, {@code 521…:3@…}) or a bare number: the user part. */
  private static String contactOf(String raw) {
    String contact = raw == null ? "" : raw.trim();
    int at = contact.indexOf('@');
    if (at >= 0) {
      contact = contact.substring(0, at);
    }
    int device = contact.indexOf(':');
    if (device >= 0) {
      contact = contact.substring(0, device);
    }
    if (!CONTACT.matcher(contact).matches()) {
      throw new GatewayFailure(Failure.BAD_INPUT, "contact must be a phone number or jid");
    }
    return contact;
  }

  /** The monitor records its decision about a session that is not live. */
  Future<SessionView> settle(SettleRequest r) {
    String org = org(r.org());
    if (r.state() == null || !SETTLE_STATES.contains(r.state())) {
      throw new GatewayFailure(Failure.BAD_INPUT, "state must be RECONNECTING, FAILED or STOPPED");
    }
    return queue.run(org, () -> {
      OrgSession s = session(org);
      if (LIVE.contains(s.state)) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "the session is " + s.state + "; only a session that is not live can be settled"));
      }
      s.connectionWanted = r.state() == SessionState.RECONNECTING;
      s.reconnect = r.state() == SessionState.RECONNECTING ? r.reconnect() : null;
      return transition(s, r.state(), r.cause() != null ? r.cause() : s.cause).map(v -> view(s));
    });
  }

  /** Simulated engine only: a phone scans, or a fault is injected. */
  Future<SessionView> sim(SimRequest r) {
    if (!(engine instanceof SimulatedEngine sim)) {
      throw new GatewayFailure(Failure.UNKNOWN, "the simulated engine is not in use");
    }
    String org = org(r.org());
    return queue.run(org, () -> {
      Future<Void> done;
      if (SimRequest.SCAN.equals(r.action())) {
        done = sim.scan(org);
      } else if (SimRequest.FAULT.equals(r.action())) {
        done = sim.fault(org, r.kind(), r.contact(), r.count());
      } else {
        return Future.failedFuture(new GatewayFailure(Failure.BAD_INPUT,
            "action must be scan or fault"));
      }
      return done.map(v -> view(session(org)));
    });
  }

  // ---- engine events: queued behind the org's commands, dropped when from an old session ----

  private final class Listener implements EngineListener {
    private final String org;
    private final Attempt attempt;

    Listener(String org, Attempt attempt) {
      this.org = org;
      this.attempt = attempt;
    }

    private void apply(java.util.function.Function<OrgSession, Future<Void>> change) {
      if (stopping) {
        // a restart resumes from the last record; nothing may be written after shutdown
        return;
      }
      queue.run(org, () -> {
        OrgSession s = sessions.get(org);
        if (s == null || s.attempt != attempt) {
          return Future.succeededFuture();
        }
        return change.apply(s);
      }).onFailure(e -> warn(org, "could not record an engine event: " + e));
    }

    @Override
    public void onQr(String payload, Instant expiresAt) {
      apply(s -> {
        s.qr = new SessionView.QrCode(payload, expiresAt);
        Cause cause = s.state == SessionState.QR_REQUIRED ? s.cause : null;
        return transition(s, SessionState.QR_REQUIRED, cause);
      });
    }

    @Override
    public void onPairingCode(String code, Instant expiresAt) {
      apply(s -> {
        s.pairingCode = new SessionView.PairingCode(code, expiresAt);
        return transition(s, SessionState.PAIRING_CODE, null);
      });
    }

    @Override
    public void onOpen(SessionView.Me me) {
      apply(s -> {
        s.me = me;
        s.lastConnectedAt = clock.instant();
        return transition(s, SessionState.CONNECTED, null);
      });
    }

    @Override
    public void onClose(Cause cause) {
      apply(s -> {
        s.attempt = null;
        s.engineSession = null;
        SessionState next = StateAfterClose.of(cause);
        s.connectionWanted = next == SessionState.RECONNECTING;
        Future<Void> changed = transition(s, next, cause);
        if (next != SessionState.LOGGED_OUT) {
          return changed;
        }
        // 401: these credentials are dead; archived so the next connect links anew
        return changed.compose(v -> store.clear(s.org, Cause.LOGGED_OUT)).map(archivedTo -> {
          s.me = null;
          log(s.org, "credentials archived after 401");
          return (Void) null;
        }).compose(v -> save(s));
      });
    }

    @Override
    public void onActivity(Activity activity) {
      apply(s -> {
        s.lastActivityAt = activity.at();
        publishActivity(activity);
        return save(s);
      });
    }
  }

  /** One engine session's identity: events of a replaced session are ignored. */
  private static final class Attempt {}

  // ---- state ----

  private Future<Void> transition(OrgSession s, SessionState to, Cause cause) {
    SessionState from = s.state;
    Instant now = clock.instant();
    if (from != to || s.since == null) {
      s.since = now;
    }
    s.state = to;
    s.cause = cause;
    if (to != SessionState.QR_REQUIRED) {
      s.qr = null;
    }
    if (to != SessionState.PAIRING_CODE) {
      s.pairingCode = null;
    }
    if (to != SessionState.RECONNECTING) {
      s.reconnect = null;
    }
    s.seq++;
    StateChange change = new StateChange(s.org, from, to, cause, s.qr, s.pairingCode, s.me,
        s.reconnect, now, s.seq);
    log(s.org, from + " -> " + to + (cause == null ? "" : " (" + describe(cause) + ")"));
    JsonObject json = Json.toJson(change);
    vertx.eventBus().publish(StateChange.ADDRESS, json);
    vertx.eventBus().publish(StateChange.addressFor(s.org), json);
    return save(s);
  }

  private static String describe(Cause cause) {
    return (cause.code() == null ? "" : cause.code() + " ") + cause.reason();
  }

  private Future<Void> save(OrgSession s) {
    return records.save(s.toRecord());
  }

  private void publishActivity(Activity activity) {
    vertx.eventBus().publish(Activity.ADDRESS, Json.toJson(activity));
  }

  private void closeEngineSession(OrgSession s) {
    EngineSession es = s.engineSession;
    s.engineSession = null;
    s.attempt = null;
    if (es != null) {
      es.close();
    }
  }

  private OrgSession session(String org) {
    return sessions.computeIfAbsent(org, OrgSession::new);
  }

  private static SessionView view(OrgSession s) {
    return new SessionView(s.org, s.state, s.since, s.cause,
        s.state == SessionState.QR_REQUIRED ? s.qr : null, s.me, s.lastConnectedAt,
        s.lastActivityAt, s.reconnect, null,
        s.state == SessionState.PAIRING_CODE ? s.pairingCode : null);
  }

  private static String org(String org) {
    if (!OrgId.isValid(org)) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
    }
    return org;
  }

  private static String actorName(String actor) {
    return actor == null || actor.isBlank() ? "unknown" : actor;
  }

  private static void log(String org, String message) {
    OrgMdc.run(org, () -> LOG.info(message));
  }

  private static void warn(String org, String message) {
    OrgMdc.run(org, () -> LOG.warn(message));
  }

  /** One org's live state. */
  private static final class OrgSession {
    final String org;
    SessionState state = SessionState.STOPPED;
    Instant since;
    Cause cause;
    SessionView.QrCode qr;
    SessionView.PairingCode pairingCode;
    SessionView.Me me;
    Instant lastConnectedAt;
    Instant lastActivityAt;
    SessionView.Reconnect reconnect;
    boolean connectionWanted;
    long seq;
    EngineSession engineSession;
    Attempt attempt;

    OrgSession(String org) {
      this.org = org;
    }

    static OrgSession from(SessionRecord r) {
      OrgSession s = new OrgSession(r.org());
      s.state = r.state() == null ? SessionState.STOPPED : r.state();
      s.since = r.since();
      s.cause = r.cause();
      s.me = r.me();
      s.lastConnectedAt = r.lastConnectedAt();
      s.lastActivityAt = r.lastActivityAt();
      s.connectionWanted = r.connectionWanted();
      s.seq = r.seq();
      return s;
    }

    SessionRecord toRecord() {
      return new SessionRecord(org, state, since, cause, me, lastConnectedAt, lastActivityAt,
          connectionWanted, seq);
    }
  }
}
