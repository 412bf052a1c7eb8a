package dev.vigia.gateway.session;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.logging.Masked;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.Operation;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one table of sessions: the only code that changes, publishes and saves an org's
 * state. Every change is published (the QR and pairing code only on the org's own address,
 * DESIGN §4) and saved as the org's record. Used on the owning context only: each method checks.
 */
public final class SessionTable {

  private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);

  private final OwningContext owner;
  private final EventBus bus;
  private final SessionRecordStore records;
  private final Clock clock;
  private final String node;
  private final Map<String, OrgSession> sessions = new HashMap<>();
  /** Orgs with stored auth state and no session yet (imported while Vigía was stopped). */
  private final Map<String, Instant> storedOnly = new HashMap<>();
  /** Orgs whose last record save failed, and why: readiness shows it until a save works. */
  private final Map<String, String> unsaved = new HashMap<>();
  /** Orgs whose failed save is tried again (the store may be back: a database restarted). */
  private final Set<String> retrying = new HashSet<>();
  /** Orgs with a record save being written, and what waits for the next one. */
  private final Map<String, Saving> saving = new HashMap<>();
  static final long RETRY_SAVE_MS = 5_000;

  public SessionTable(OwningContext owner, EventBus bus, SessionRecordStore records, Clock clock) {
    this(owner, bus, records, clock, null);
  }

  /**
   * {@code node}: in cluster mode this node's id, which every change names (the page shows where
   * a session runs); null on a single node. It is in the JSON text the change is published as.
   */
  public SessionTable(OwningContext owner, EventBus bus, SessionRecordStore records, Clock clock,
      String node) {
    this.owner = owner;
    this.bus = bus;
    this.records = records;
    this.clock = clock;
    this.node = node;
  }

  /** The records of the last run, as they were saved (nothing is published). */
  public void load(List<SessionRecord> loaded) {
    owner.check("load");
    for (SessionRecord record : loaded) {
      sessions.put(record.org(), OrgSession.from(record));
    }
  }

  /** An org whose auth state is stored but which has no session yet: listed as STOPPED. */
  public void stored(String org, Instant lastWrite) {
    owner.check("stored");
    if (!sessions.containsKey(org)) {
      storedOnly.put(org, lastWrite);
    }
  }

  /** The orgs with a session in the table, as they are now. */
  public Set<String> orgs() {
    owner.check("orgs");
    return Set.copyOf(sessions.keySet());
  }

  /** The org's session, or {@code null} when the gateway has never seen it. */
  public OrgSession find(String org) {
    owner.check("find");
    return sessions.get(org);
  }

  /** The org's view; a never-seen org is {@code STOPPED}, and stays out of the table. */
  public SessionView view(String org) {
    OrgSession s = find(org);
    if (s != null) {
      return s.view();
    }
    Instant lastWrite = storedOnly.get(org);
    return lastWrite == null ? new OrgSession(org).view() : new SessionView(org,
        SessionState.STOPPED, null, null, null, null, null, lastWrite, null, null, null);
  }

  /** Every org with a session or stored auth state, by org id. */
  public List<SessionView> views() {
    owner.check("views");
    TreeMap<String, SessionView> views = new TreeMap<>();
    sessions.values().forEach(s -> views.put(s.org, s.view()));
    storedOnly.keySet().forEach(org -> views.put(org, view(org)));
    return List.copyOf(views.values());
  }

  /** A change of the org's session; the org enters the table when the change is applied. */
  public Change change(String org) {
    return new Change(org);
  }

  /** The org's last message sent or failed, decrypt failure, keep-alive: published and saved. */
  public Future<Void> activity(Activity activity) {
    OrgSession s = change(activity.org()).edit(o -> o.lastActivityAt = activity.at()).apply();
    bus.publish(Activity.ADDRESS, Json.toJson(activity));
    return saved(s);
  }

  /**
   * A person's command that concerned the org (who, what): published before the state change it
   * causes, so the org's journal tells who cleared or restarted before what followed.
   */
  public void operation(String org, String action, String actor, String message) {
    owner.check("operation");
    bus.publish(Operation.ADDRESS, Json.toJson(new Operation(org, action, actor, message,
        clock.instant())));
  }

  /** {@code null} when every org's last record save worked, else what failed. */
  public String unsaved() {
    owner.check("unsaved");
    if (unsaved.isEmpty()) {
      return null;
    }
    var first = unsaved.entrySet().iterator().next();
    return unsaved.size() + " session record(s) could not be saved (organization "
        + first.getKey() + ": " + first.getValue() + ")";
  }

  /** Removes the org and its record (the reaper forgets an archived, idle org). */
  public Future<Void> forget(String org) {
    owner.check("forget");
    sessions.remove(org);
    storedOnly.remove(org);
    unsaved.remove(org);
    Saving busy = saving.remove(org);
    if (busy != null) {
      busy.forgotten = true; // the saves waiting behind it must not bring the record back
    }
    return owner.back(records.delete(org));
  }

  /**
   * Cluster mode: the org's session went to another node (its run already ended). It leaves this
   * table and nothing is published or saved: its record and its states are the new owner's.
   */
  public void drop(String org) {
    owner.check("drop");
    sessions.remove(org);
    storedOnly.remove(org);
    unsaved.remove(org);
  }

    /** Edits of one org's session, applied together by {@link #to} or {@link #save}. */
  public final class Change {
    private final String org;
    private final List<Consumer<OrgSession>> edits = new ArrayList<>();

    private Change(String org) {
      this.org = org;
    }

    private Change edit(Consumer<OrgSession> edit) {
      edits.add(edit);
      return this;
    }

    /** Whether a connection is wanted (a restart reopens it). */
    public Change wanted(boolean wanted) {
      return edit(s -> s.connectionWanted = wanted);
    }

    /** The linked account; {@code null} once its credentials are archived. */
    public Change me(SessionView.Me me) {
      return edit(s -> s.me = me);
    }

    public Change connectedAt(Instant at) {
      return edit(s -> s.lastConnectedAt = at);
    }

    public Change qr(SessionView.QrCode qr) {
      return edit(s -> s.qr = qr);
    }

    public Change pairingCode(SessionView.PairingCode code) {
      return edit(s -> s.pairingCode = code);
    }

    /** The monitor's next attempt; kept only while {@code RECONNECTING}. */
    public Change reconnect(SessionView.Reconnect reconnect) {
      return edit(s -> s.reconnect = reconnect);
    }

    /** Applies the edits and moves to {@code to}: published, then saved. */
    public Future<Void> to(SessionState to, Cause cause) {
      OrgSession s = apply();
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
      StateChange change = new StateChange(org, from, to, cause, s.qr, s.pairingCode, s.me,
          s.reconnect, now, s.seq, node);
      // every transition, at INFO: the org's log view (issue 9) shows them beside the journal
      OrgMdc.run(org, () -> LOG.info("{} -> {}{}", from, to,
          cause == null ? "" : " (" + Masked.in(describe(cause)) + ")"));
      // encoded once for both addresses and every listener; the QR text holds advSecretKey:
      // only the org's own listeners get it
      Buffer json = Json.toBuffer(change);
      bus.publish(StateChange.ADDRESS, change.hasSecrets()
          ? Json.toBuffer(change.withoutSecrets()) : json);
      bus.publish(StateChange.addressFor(org), json);
      return saved(s);
    }

    /** Applies the edits without a transition (nothing is published) and saves. */
    public Future<Void> save() {
      return saved(apply());
    }

    private OrgSession apply() {
      owner.check("change");
      OrgSession s = sessions.computeIfAbsent(org, OrgSession::new);
      storedOnly.remove(org);
      edits.forEach(edit -> edit.accept(s));
      return s;
    }
  }

  /**
   * An org's save being written. The saves asked for meanwhile become one, of the newest state,
   * written when this one ends: a record replaces the one before, so writing the states in
   * between bought nothing (a {@code connection_lost} makes four changes in a few milliseconds,
   * and each was a record encoded, logged and synced; issue 12).
   */
  private static final class Saving {
    /** The session to save next (the newest asked for). */
    OrgSession latest;
    /** Completes when the next save, which carries every state asked for meanwhile, ends. */
    Promise<Void> next;
    /** The org was forgotten: its delete is logged after this save; nothing more is written. */
    boolean forgotten;
  }

  /**
   * Completes once the org's record holds this state or a newer one; at most one save of an org
   * is written at a time (the later ones wait as one, see {@link Saving}).
   */
  private Future<Void> saved(OrgSession s) {
    Saving busy = saving.get(s.org);
    if (busy != null) {
      busy.latest = s;
      if (busy.next == null) {
        busy.next = Promise.promise();
      }
      return busy.next.future();
    }
    Saving slot = new Saving();
    saving.put(s.org, slot);
    return write(slot, s);
  }

  private Future<Void> write(Saving slot, OrgSession s) {
    Future<Void> written = written(s);
    written.onComplete(ignored -> {
      Promise<Void> next = slot.next;
      slot.next = null;
      if (next == null || slot.forgotten) {
        saving.remove(s.org, slot);
        if (next != null) {
          next.complete(); // forgotten: its record is deleted, as asked after these saves
        }
        return;
      }
      write(slot, slot.latest).onComplete(next);
    });
    return written;
  }

  /** The save's outcome; a failure is also logged and kept for readiness until a save works. */
  private Future<Void> written(OrgSession s) {
    return owner.back(records.save(s.toRecord())).onComplete(ar -> {
      if (ar.succeeded()) {
        unsaved.remove(s.org);
        return;
      }
      unsaved.put(s.org, String.valueOf(ar.cause().getMessage()));
      OrgMdc.run(s.org, () -> LOG.error("the session record could not be saved; a restart"
          + " would resume an older state (tried again in {} s): {}", RETRY_SAVE_MS / 1000,
          ar.cause().toString()));
      retryLater(s.org);
    });
  }

  /** Saves the org's newest record again later, until a save works or the org is forgotten. */
  private void retryLater(String org) {
    if (!retrying.add(org)) {
      return;
    }
    owner.later(RETRY_SAVE_MS, () -> {
      retrying.remove(org);
      OrgSession s = sessions.get(org);
      if (s != null && unsaved.containsKey(org)) {
        saved(s);
      }
    });
  }

  private static String describe(Cause cause) {
    return (cause.code() == null ? "" : cause.code() + " ") + cause.reason();
  }
}
