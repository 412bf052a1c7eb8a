package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.session.OrgSession;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.LinkedLogin;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back the sessions of the last run behind the gateway's start (issue 7: with 2,000
 * sessions nothing answered for 8 s): the records load first, then the connections that were
 * wanted reopen in the background, {@link #CONCURRENCY} at a time, each in its org's queue, with
 * progress in the log and in readiness ({@code restoring n/N}). A resume gives way to anything a
 * command changed meanwhile. Used on the owning context.
 */
final class SessionRestore {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRestore.class);
  /** Enough to keep the store's and the records' workers busy, few enough not to flood them. */
  static final int CONCURRENCY = 32;

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final SessionRecordStore records;
  private final AuthStateStore store;
  private final EngineRuns runs;
  private final List<Pending> pending = new ArrayList<>();
  private Future<Void> loaded;
  private int next;
  private int running;
  private boolean pumping;
  private int done;
  private int loggedStep;
  private long startedAt;
  private boolean stopped;

  /** An org to resume, and the {@code seq} of the state it was saved in. */
  private record Pending(String org, long seq) {}

  SessionRestore(OwningContext owner, KeyedQueue queue, SessionTable table,
      SessionRecordStore records, AuthStateStore store, EngineRuns runs) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.records = records;
    this.store = store;
    this.runs = runs;
  }

  /** Loads the records into the table and starts resuming; completes once they are loaded. */
  Future<Void> start() {
    startedAt = System.nanoTime();
    loaded = owner.back(records.loadAll()).map(all -> {
      table.load(all);
      for (SessionRecord r : all) {
        if (r.connectionWanted() || SessionGateway.LIVE.contains(r.state())) {
          pending.add(new Pending(r.org(), r.seq()));
        }
      }
      if (pending.isEmpty()) {
        listStoredOnly();
      } else {
        LOG.info("restoring 0/{} sessions ({} records)", pending.size(), all.size());
        // after this task: a failure of a resume must not fail the load
        owner.queue(this::pump);
      }
      return null;
    });
    loaded.onFailure(e -> LOG.error("the session records could not be read; no session was"
        + " restored: {}", e.toString()));
    return loaded;
  }

  /**
   * Orgs imported while Vigía was stopped have auth state and no record: listed as STOPPED. Read
   * once the restore is done, so listing the folders does not compete with it, and only for the
   * orgs without a record (each org read costs a look at its every file).
   */
  private void listStoredOnly() {
    owner.back(store.listExcept(table.orgs())).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("the stored sessions could not be listed; imported orgs are missing from the"
            + " list until a restart: {}", ar.cause().toString());
        return;
      }
      ar.result().forEach(stored -> table.stored(stored.org(), stored.lastWrite()));
    });
  }

  /** Completes once the records are in the table: commands and reads wait for it. */
  Future<Void> loaded() {
    return loaded;
  }

  /** {@code restoring n/N} while sessions are being restored; {@code null} once done. */
  String progress() {
    owner.check("restore progress");
    if (!loaded.isComplete()) {
      return "restoring: reading the session records";
    }
    return done < pending.size() ? "restoring " + done + "/" + pending.size() : null;
  }

  /** Resumes nothing more (a shutdown); resumes under way finish. */
  void stop() {
    stopped = true;
  }

  /**
   * Starts resumes until {@link #CONCURRENCY} are under way. A loop, not a recursion: a store
   * that answers at once completes a resume inside this call, and each completion pumps again
   * (a recursion overflowed the stack with 1,000 sessions on an in-memory store, and the restore
   * never finished).
   */
  private void pump() {
    if (pumping) {
      return; // the loop below goes on
    }
    pumping = true;
    try {
      while (!stopped && running < CONCURRENCY && next < pending.size()) {
        Pending p = pending.get(next++);
        running++;
        queue.run(p.org(), () -> resume(p).recover(e -> failed(p.org(), e))).onComplete(ar -> {
          running--;
          done++;
          logProgress();
          pump();
        });
      }
    } finally {
      pumping = false;
    }
  }

  private Future<Void> resume(Pending p) {
    OrgSession s = table.find(p.org());
    if (s == null || s.seq() != p.seq()) {
      return Future.succeededFuture(); // a command changed it since: that decision stands
    }
    return owner.back(store.readCreds(p.org())).compose(creds -> {
      if (s.connectionWanted() && LinkedLogin.isLinked(creds)) {
        // the change to STARTING logs it (cause "restored"); an engine that cannot start leaves the org RECONNECTING for the monitor: not ours.
        // The creds go to the run: its engine does not read them again
        return runs.open(p.org(), null, new Cause(null, Cause.RESTORED,
            "Reconnecting after a restart"), creds).<Void>mapEmpty().otherwiseEmpty();
      }
      return table.change(p.org()).wanted(false).to(SessionState.STOPPED, new Cause(null,
          Cause.RESTORED, "No linked credentials after a restart; connect again"));
    });
  }

  /**
   * A session that cannot be read back gives up where a person sees it, not in a log only; the
   * connection stays wanted, so the next start tries again (the storage may be back by then).
   */
  private Future<Void> failed(String org, Throwable e) {
    OrgMdc.run(org, () -> LOG.error("the session could not be restored: {}", e.toString()));
    return table.change(org).to(SessionState.FAILED, new Cause(null, Cause.RESTORED,
        "The session could not be restored after a restart: " + e.getMessage()));
  }

  /** The start, every tenth of the way, and the end: a bounded number of lines. */
  private void logProgress() {
    int total = pending.size();
    if (done == total) {
      LOG.info("restored {}/{} sessions in {} ms", done, total,
          (System.nanoTime() - startedAt) / 1_000_000);
      listStoredOnly();
      return;
    }
    int step = done * 10 / total;
    if (step > loggedStep) {
      loggedStep = step;
      LOG.info("restoring {}/{} sessions", done, total);
    }
  }
}
