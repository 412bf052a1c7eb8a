package dev.vigia.common.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the cluster's state from PostgreSQL, for the balancer and the owner directory: every
 * lease, who owns one org now, and which nodes are alive; and says this node is alive.
 */
public final class LeaseTable {

  /** One org's lease as read: {@code owner} null when nobody holds it or it has ended. */
  public record Entry(String org, String owner, String preferredNode) {}

  private final Pool pool;

  public LeaseTable(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /** Every org with a lease row, its live owner (or null) and the operator's preferred node. */
  public Future<List<Entry>> read() {
    return pool.query(LeaseSql.TABLE).execute().map(rows -> {
      List<Entry> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        boolean live = Boolean.TRUE.equals(row.getBoolean(2));
        out.add(new Entry(row.getString(0), live ? row.getString(1) : null, row.getString(3)));
      }
      return out;
    });
  }

  /** The node that owns the org now, or null when nobody does. */
  public Future<String> ownerOf(String org) {
    return pool.preparedQuery(LeaseSql.OWNER).execute(Tuple.of(org))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** An operator's choice: the org's session should run on {@code node} (the org row ensured). */
  public Future<Void> prefer(String org, String node) {
    return pool.withTransaction(conn -> conn.preparedQuery(LeaseSql.ENSURE_ORG)
        .execute(Tuple.of(org))
        .compose(v -> conn.preparedQuery(LeaseSql.PREFER).execute(Tuple.of(org, node))))
        .mapEmpty();
  }

  /** This node is alive for {@code forMillis} more (by the database's clock). */
  public Future<Void> beat(String node, long forMillis) {
    return pool.preparedQuery(LeaseSql.BEAT).execute(Tuple.of(node, forMillis)).mapEmpty();
  }

  /** The nodes seen alive, in order. */
  public Future<List<String>> liveNodes() {
    return pool.query(LeaseSql.LIVE_NODES).execute().map(rows -> {
      List<String> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  /** A node stopping gracefully is no longer counted at once. */
  public Future<Void> leave(String node) {
    return pool.preparedQuery(LeaseSql.LEAVE).execute(Tuple.of(node)).mapEmpty();
  }
}
