package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.NotOwnerException;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.logging.Masked;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.session.OrgSession;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.session.StateAfterClose;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of each org's session. A run is one engine session with its own auth-state
 * writer: this class opens runs, ends them, and turns what an engine reports into changes of the
 * {@link SessionTable}, each queued behind the org's commands; events of an ended run are dropped.
 * Used on the owning context.
 */
final class EngineRuns {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRuns.class);
  /** Who archives a 401's credentials, in the archive list: Vigía itself. */
  static final String ACTOR = "vigia";

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final AuthStateStore store;
  private final Engine engine;
  private final Clock clock;
  /**
   * Why a run stops when the store refused its write for a newer run: two holders of one
   * session's credentials, as WhatsApp's 440, so it is never retried by itself (the monitor
   * alerts; only a take-over ends it).
   */
  static final Cause SUPERSEDED = new Cause(440, Cause.CONFLICT, "Another Vigía process or node"
      + " opened this session's credentials; this one stopped writing them");

  /** Runs ended per event-loop task while shutting down. */
  static final int SHUTDOWN_BATCH = 256;

  private final Map<String, Run> runs = new HashMap<>();
  /** Per org, the end of its last run, until the writes that run had queued have landed. */
  private final Map<String, Future<Void>> ending = new HashMap<>();
  private boolean stopping;

  /** One run of one org's session, known by identity. */
  private static final class Run {
    final RunAuthState auth;
    /** Started from an archived login a person restored (issue 9). */
    final boolean restored;
    EngineSession session;
    boolean opened;

    Run(RunAuthState auth, boolean restored) {
      this.auth = auth;
      this.restored = restored;
    }
  }

  EngineRuns(OwningContext owner, KeyedQueue queue, SessionTable table, AuthStateStore store,
      Engine engine, Clock clock) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.store = store;
    this.engine = engine;
    this.clock = clock;
  }

  /** The org's engine session, or {@code null} when it has no run. */
  EngineSession session(String org) {
    owner.check("runs");
    Run run = runs.get(org);
    return run == null ? null : run.session;
  }

  /**
   * Ends the org's run (if any), moves it to {@code STARTING} and starts a new run; answers with
   * the view once the engine has started it, or 503 (the org goes {@code RECONNECTING} with
   * {@link Cause#ENGINE_UNAVAILABLE}, so the monitor retries). The new run's writer, which
   * revokes the earlier ones, is opened once the writes of the earlier run have landed.
   */
  Future<SessionView> open(String org, String pairingPhone, Cause cause) {
    return open(org, pairingPhone, cause, null);
  }

  /**
   * As {@link #open(String, String, Cause)}, handing the engine {@code creds} the caller has just
   * read (a restore), so they are not read twice; used only when the org has no run and none
   * ending, whose writes could have changed them since.
   */
  Future<SessionView> open(String org, String pairingPhone, Cause cause, JsonObject creds) {
    owner.check("open run");
    JsonObject known = runs.containsKey(org) || ending.containsKey(org) ? null : creds;
    Future<Void> started = end(org, false)
        .compose(v -> {
          // the engine starts while the record is written: a failed save shows in readiness
          table.change(org).wanted(true).to(SessionState.STARTING, cause);
          return owner.back(RunAuthState.open(store, org, known));
        })
        .compose(auth -> {
          Run run = new Run(auth, cause != null && Cause.ARCHIVE_RESTORED.equals(cause.reason()));
          runs.put(org, run);
          Listener listener = new Listener(org, run);
          auth.onSuperseded(listener::superseded);
          run.session = engine.open(auth, listener);
          return owner.back(run.session.start(pairingPhone));
        });
    return started.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(table.view(org));
      }
      NotOwnerException notOwner = NotOwnerException.in(ar.cause());
      if (notOwner != null) {
        // cluster mode: another node holds the org now; its session and states are that node's
        warn(org, notOwner.getMessage());
        return end(org, true).transform(ignored -> {
          table.drop(org);
          return Future.failedFuture(new GatewayFailure(Failure.NOT_OWNER,
              notOwner.getMessage()));
        });
      }
      warn(org, "the engine could not start a session: " + ar.cause());
      return end(org, true)
          .compose(v -> table.change(org).to(SessionState.RECONNECTING, new Cause(null,
              Cause.ENGINE_UNAVAILABLE, "The WhatsApp engine could not start")))
          .transform(ignored -> Future.failedFuture(new GatewayFailure(Failure.UNAVAILABLE,
              "the WhatsApp engine is not available; try again later")));
    });
  }

  /**
   * Ends the org's run, if it has one: the engine session closes and the run's writer is revoked,
   * at once ({@code revokeAtOnce}: a clear or logout follows) or once the writes the run already
   * queued have landed, so a disconnect never drops a key Baileys has just saved; then the
   * future waits for the engine's connection to be gone too.
   */
  Future<Void> end(String org, boolean revokeAtOnce) {
    owner.check("end run");
    Run run = runs.remove(org);
    if (run == null) {
      return ending.getOrDefault(org, Future.succeededFuture());
    }
    Future<Void> closed = run.session == null ? Future.succeededFuture() : run.session.close();
    if (revokeAtOnce) {
      run.auth.revoke();
      return Future.succeededFuture();
    }
    // any operation of the org: it completes after the writes queued before it (the store
    // applies one org's operations in call order)
    Future<Void> landed = owner.back(store.readCreds(org)).transform(ignored -> {
      run.auth.revoke();
      return Future.succeededFuture();
    });
    // and the engine's connection is gone: in cluster mode the lease is let go only then, or the
    // next owner's login could reach WhatsApp while this one is still online (a 440)
    Future<Void> ended = owner.back(Future.join(landed, closed)
        .transform(ignored -> Future.<Void>succeededFuture()));
    ending.put(org, ended);
    ended.onComplete(ignored -> ending.remove(org, ended));
    return ended;
  }

  /** Unlinks the device from the phone when connected, then ends the run. */
  Future<Void> logout(String org) {
    owner.check("logout");
    Run run = runs.get(org);
    OrgSession s = table.find(org);
    if (run == null || s == null || s.state() != SessionState.CONNECTED) {
      return end(org, true);
    }
    runs.remove(org);
    Future<Void> unlinked = run.session.logout().recover(e -> {
      warn(org, "the engine could not log out, clearing anyway: " + e);
      return run.session.close();
    });
    return owner.back(unlinked).eventually(() -> {
      run.auth.revoke();
      return Future.succeededFuture();
    });
  }

  /** The orgs that have a run (an engine session working or holding a connection), sorted. */
  List<String> orgsWithRuns() {
    owner.check("runs");
    List<String> orgs = new ArrayList<>(runs.keySet());
    orgs.sort(null);
    return orgs;
  }

  /**
   * Ends every run without changing any state: a restart resumes them. The runs end
   * {@link #SHUTDOWN_BATCH} at a time, the next batch once the last one's writes have landed, so
   * the owning event loop serves other work in between (issue 7: with 50,000 sessions ending them
   * all in one task, joined by one future, held the loop 15.8 s and the stop timed out).
   */
  Future<Void> shutdown() {
    stopping = true;
    return owner.back(queue.drained())
        .compose(v -> endInBatches(new ArrayList<>(runs.keySet()), 0))
        .transform(ignored -> engine.close());
  }

  private Future<Void> endInBatches(List<String> orgs, int from) {
    if (from >= orgs.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(orgs.size(), from + SHUTDOWN_BATCH);
    List<Future<Void>> ended = new ArrayList<>(to - from);
    for (String org : orgs.subList(from, to)) {
      ended.add(end(org, false));
    }
    // back through the context's queue even when every end completed at once: the next batch is
    // a task of its own
    Promise<Void> next = Promise.promise();
    Future.join(ended).onComplete(ignored -> owner.queue(() ->
        endInBatches(orgs, to).onComplete(next)));
    return next.future();
  }

  /** The engine closed the run: the state that states the fact (after a 401, once archived). */
  private Future<Void> closed(String org, Run run, Cause cause) {
    end(org, false);
    Cause said = run.restored && !run.opened ? restoredLoginRefused(cause) : cause;
    SessionState next = StateAfterClose.of(cause);
    if (next != SessionState.LOGGED_OUT) {
      return table.change(org).wanted(next == SessionState.RECONNECTING).to(next, said);
    }
    // 401: these credentials are dead. LOGGED_OUT says they are archived (the next connect
    // links anew), so it is said once they are; if they cannot be, a person must clear them.
    return owner.back(store.clear(org, Cause.LOGGED_OUT, ACTOR)).transform(archived -> {
      if (archived.succeeded()) {
        log(org, "credentials archived after 401");
        return table.change(org).wanted(false).me(null).to(SessionState.LOGGED_OUT, said);
      }
      OrgMdc.run(org, () -> LOG.error("the credentials of a logged-out session could not be"
          + " archived: {}", archived.cause().toString()));
      return table.change(org).wanted(false).to(SessionState.FAILED, new Cause(null,
          Cause.ARCHIVE_FAILED, "WhatsApp removed this device (401) and its credentials could"
              + " not be archived; clear the session"));
    });
  }

  /** A 401 to a login a person restored: it says so, not only "logged out" (issue 9). */
  private static Cause restoredLoginRefused(Cause cause) {
    if (!Cause.LOGGED_OUT.equals(cause.reason())) {
      return cause;
    }
    return new Cause(cause.code(), cause.reason(), "WhatsApp no longer accepts the restored login"
        + (cause.code() == null ? "" : " (" + cause.code() + ")")
        + ": link the phone again with a new QR");
  }

  /** What the engine reports of one run, queued behind the org's commands. */
  private final class Listener implements EngineListener {
    private final String org;
    private final Run run;

    Listener(String org, Run run) {
      this.org = org;
      this.run = run;
    }

    private void apply(Supplier<Future<Void>> change) {
      owner.run(() -> {
        if (stopping) {
          return; // a restart resumes from the last record; nothing is written after shutdown
        }
        // a failed save is logged by the table; nothing else can fail here
        queue.run(org, () -> runs.get(org) == run ? change.get() : Future.<Void>succeededFuture());
      });
    }

    @Override
    public void onQr(String payload, Instant expiresAt) {
      apply(() -> {
        OrgSession s = table.find(org);
        Cause kept = s != null && s.state() == SessionState.QR_REQUIRED ? s.cause() : null;
        return table.change(org).qr(new SessionView.QrCode(payload, expiresAt))
            .to(SessionState.QR_REQUIRED, kept);
      });
    }

    @Override
    public void onPairingCode(String code, Instant expiresAt) {
      apply(() -> table.change(org).pairingCode(new SessionView.PairingCode(code, expiresAt))
          .to(SessionState.PAIRING_CODE, null));
    }

    @Override
    public void onOpen(SessionView.Me me) {
      apply(() -> {
        run.opened = true;
        return table.change(org).me(me).connectedAt(clock.instant())
            .to(SessionState.CONNECTED, null);
      });
    }

    @Override
    public void onClose(Cause cause) {
      apply(() -> closed(org, run, cause));
    }

    @Override
    public void onActivity(Activity activity) {
      apply(() -> table.activity(activity));
    }

    /** The store refused a write of this run: a newer run holds the org; this one stops. */
    void superseded() {
      apply(() -> {
        warn(org, "a newer run of this session (another process or node) holds its credentials:"
            + " this run stops, writing nothing more");
        return closed(org, run, SUPERSEDED);
      });
    }
  }

  private static void log(String org, String message) {
    OrgMdc.run(org, () -> LOG.info(message));
  }

  private static void warn(String org, String message) {
    OrgMdc.run(org, () -> LOG.warn(Masked.in(message)));
  }
}
