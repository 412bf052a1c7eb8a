package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.LinkedLogin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode (issue 11): this node's gateway takes an org whose lease the node has just claimed
 * ({@link #adopt}: its record from the shared table, and its connection reopened when it was
 * wanted) and lets one go ({@link #release}: the engine session closes, the org leaves the table,
 * and nothing is written: the record, wanting its connection, is the next owner's to resume).
 * Each in the org's queue, behind its commands. Used on the owning context.
 */
final class ClusterHandover {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterHandover.class);
  /** States of a session being linked: no linked creds yet, a person at the phone. */
  private static final Set<SessionState> LINKING = EnumSet.of(SessionState.STARTING,
      SessionState.QR_REQUIRED, SessionState.PAIRING_CODE);

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final SessionRecordStore records;
  private final AuthStateStore store;
  private final EngineRuns runs;

  ClusterHandover(OwningContext owner, KeyedQueue queue, SessionTable table,
      SessionRecordStore records, AuthStateStore store, EngineRuns runs) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.records = records;
    this.store = store;
    this.runs = runs;
  }

  /** Takes the org: its record into the table, and its session resumed if it was wanted. */
  Future<Void> adopt(String org) {
    return queue.run(org, () -> {
      if (table.find(org) != null) {
        return Future.<Void>succeededFuture(); // a command brought it here first
      }
      // both reads at once: a hand-over of many orgs waits on the database, not on turns
      Future<SessionRecord> record = owner.back(records.load(org));
      Future<JsonObject> creds = owner.back(store.readCreds(org));
      return Future.join(record, creds).transform(ignored -> {
        if (record.failed()) {
          return Future.failedFuture(record.cause());
        }
        SessionRecord r = record.result();
        if (r == null || table.find(org) != null) {
          return Future.<Void>succeededFuture();
        }
        table.load(List.of(r));
        return resume(r, creds);
      });
    });
  }

  private Future<Void> resume(SessionRecord r, Future<JsonObject> read) {
    if (!r.connectionWanted() && !SessionGateway.LIVE.contains(r.state())) {
      return Future.succeededFuture();
    }
    return read.compose(creds -> {
      if (LinkedLogin.isLinked(creds)) {
        // an engine that cannot start leaves the org RECONNECTING for the monitor, as a restore
        return runs.open(r.org(), null, new Cause(null, Cause.RESTORED,
            "Taken over from another node")).<Void>mapEmpty().otherwiseEmpty();
      }
      if (r.connectionWanted() && LINKING.contains(r.state())) {
        // someone was linking it on the node before (a move, the spread, that node gone): the
        // link goes on here with a new QR, as the person still wants it
        return runs.open(r.org(), null, new Cause(null, Cause.RESTORED,
            "Taken over from another node while being linked: scan the new QR"))
            .<Void>mapEmpty().otherwiseEmpty();
      }
      return table.change(r.org()).wanted(false).to(SessionState.STOPPED, new Cause(null,
          Cause.RESTORED, "No linked credentials when this node took the session; connect again"));
    }).recover(e -> {
      OrgMdc.run(r.org(), () -> LOG.error("the session could not be taken over: {}",
          e.toString()));
      return table.change(r.org()).to(SessionState.FAILED, new Cause(null, Cause.RESTORED,
          "The session could not be taken over from another node: " + e.getMessage()));
    });
  }

  /** Lets the org go: its run ends (its queued writes land first), and it leaves the table. */
  Future<Void> release(String org) {
    return queue.run(org, () -> runs.end(org, false).eventually(() -> {
      table.drop(org);
      return Future.succeededFuture();
    }));
  }
}
