package dev.vigia.gateway.store.pg;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.pg.PgFailure;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.session.SessionRecordStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session records in cluster mode ({@code session_record}, schema V10 and V22): every node shares
 * the table, and each record is written only by the org's owner. A save carries the epoch of this
 * node's lease and lands only while that claim still holds the org by the database's clock, never
 * over a record a newer claim wrote. A save the database refuses is not retried: this node lost
 * the org, the {@link LeaseManager} is told at once and this node stops the session.
 *
 * <p>A node reads only the records of the orgs it holds: none at its start, each as it adopts it.
 */
public final class FencedRecordStore implements SessionRecordStore {

  private static final Logger LOG = LoggerFactory.getLogger(FencedRecordStore.class);

  static final String LOAD_SOME = "SELECT org, record FROM session_record WHERE org = ANY($1)";
  static final String LOAD_ONE = "SELECT org, record FROM session_record WHERE org = $1";
  /**
   * The lease row is read under a share lock: a claim by another node (which updates it) waits
   * for this save, or this save sees the claim and writes nothing. No row back: refused.
   */
  static final String SAVE = "WITH mine AS (SELECT lease_epoch FROM session_lease"
      + " WHERE org = $1 AND owner_node = $4 AND lease_epoch = $5 AND lease_until > now()"
      + " FOR SHARE)"
      + " INSERT INTO session_record AS r (org, record, saved_at, lease_epoch)"
      + " SELECT $1, $2, $3, lease_epoch FROM mine"
      + " ON CONFLICT (org) DO UPDATE SET record = excluded.record, saved_at = excluded.saved_at,"
      + " lease_epoch = excluded.lease_epoch"
      + " WHERE r.lease_epoch IS NULL OR r.lease_epoch <= excluded.lease_epoch RETURNING r.org";
  static final String DELETE = "DELETE FROM session_record r USING session_lease l"
      + " WHERE r.org = $1 AND l.org = $1 AND l.owner_node = $2 AND l.lease_epoch = $3"
      + " AND l.lease_until > now()";

  private final Pool pool;
  private final Clock clock;
  private final LeaseManager leases;
  private final KeyedQueue queue = new KeyedQueue();

  public FencedRecordStore(Pool pool, Clock clock, LeaseManager leases) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leases = Objects.requireNonNull(leases, "leases");
  }

  /** The records of the orgs this node holds now (none when it has just started). */
  @Override
  public Future<List<SessionRecord>> loadAll() {
    String[] owned = leases.owned().toArray(String[]::new);
    if (owned.length == 0) {
      return Future.succeededFuture(List.of());
    }
    return PgFailure.guard(pool.preparedQuery(LOAD_SOME).execute(Tuple.of((Object) owned))
        .map(FencedRecordStore::records), LOG, "read the session records", null);
  }

  @Override
  public Future<SessionRecord> load(String org) {
    OrgId.require(org);
    return PgFailure.guard(pool.preparedQuery(LOAD_ONE).execute(Tuple.of(org))
        .map(rows -> {
          List<SessionRecord> found = records(rows);
          return found.isEmpty() ? null : found.get(0);
        }), LOG, "read the session record", org);
  }

  private static List<SessionRecord> records(Iterable<Row> rows) {
    List<SessionRecord> out = new ArrayList<>();
    for (Row row : rows) {
      String org = row.getString(0);
      try {
        SessionRecord r = Json.mapper().readValue(row.getString(1), SessionRecord.class);
        if (org.equals(r.org())) {
          out.add(r);
        }
      } catch (IOException e) {
        OrgMdc.run(org, () -> LOG.warn("skipping the unreadable session record of org {}: {}",
            org, e.getMessage()));
      }
    }
    return out;
  }

  /**
   * Saves under this node's lease. Not holding it, nothing is written and the save succeeds: the
   * record is the owner's, and this node's table lets the org go as its lease listener says.
   */
  @Override
  public Future<Void> save(SessionRecord record) {
    String org = OrgId.require(record.org());
    return queue.run(org, () -> {
      LeaseManager.Lease lease = leases.lease(org);
      if (lease == null) {
        refusedLocally(org);
        return Future.<Void>succeededFuture();
      }
      String text;
      try {
        text = Json.mapper().writeValueAsString(record);
      } catch (IOException e) {
        return Future.failedFuture(new IllegalArgumentException("the session record of org "
            + org + " cannot be written as JSON", e));
      }
      OffsetDateTime at = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      return PgFailure.guard(pool.preparedQuery(SAVE)
          .execute(Tuple.of(org, text, at, leases.node(), lease.epoch())), LOG,
          "save the session record", org).map(rows -> {
            if (rows.size() == 0) {
              refusedByDatabase(org, lease);
            }
            return (Void) null;
          });
    });
  }

  @Override
  public Future<Void> delete(String org) {
    OrgId.require(org);
    return queue.run(org, () -> {
      LeaseManager.Lease lease = leases.lease(org);
      if (lease == null) {
        refusedLocally(org);
        return Future.<Void>succeededFuture();
      }
      return PgFailure.guard(pool.preparedQuery(DELETE)
          .execute(Tuple.of(org, leases.node(), lease.epoch())), LOG,
          "delete the session record", org).<Void>mapEmpty();
    });
  }

  private void refusedLocally(String org) {
    OrgMdc.run(org, () -> LOG.info("stale write refused: node {} no longer holds organization {};"
        + " its session record is the owner's", leases.node(), org));
  }

  private void refusedByDatabase(String org, LeaseManager.Lease lease) {
    OrgMdc.run(org, () -> LOG.warn("stale write refused by the database: node {} lost organization"
        + " {} (its claim, epoch {}, was superseded or ended); stopping its session",
        leases.node(), org, lease.epoch()));
    leases.refused(org, "the database refused a write of its session record");
  }
}
