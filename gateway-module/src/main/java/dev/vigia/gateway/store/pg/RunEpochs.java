package dev.vigia.gateway.store.pg;

import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.cluster.NotOwnerException;
import dev.vigia.gateway.store.AuthStateException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The fencing epoch a new session run of an org gets: one more than any before it, every write
 * of older runs refused from then on. In cluster mode only under this node's lease of the org,
 * so a node that lost the org (frozen past its lease, say) cannot outbid its new owner; a clear
 * and a restore, which fence every writer too, likewise.
 */
final class RunEpochs {

  private RunEpochs() {}

  /** @param leases this node's leases in cluster mode; null on a single node */
  static Future<Long> next(Pool pool, String org, LeaseManager leases) {
    if (leases == null) {
      return pool.withTransaction(conn -> conn
          .preparedQuery(AuthSql.ENSURE_ORG).execute(Tuple.of(org))
          .compose(v -> conn.preparedQuery(AuthSql.NEXT_EPOCH).execute(Tuple.of(org)))
          .map(rows -> rows.iterator().next().getLong(0)));
    }
    return underLease(pool, org, leases, "no session run was opened");
  }

  /**
   * Adds one to the org's epoch, fencing every writer of it: on a single node ({@code leases}
   * null) with {@code singleNode} ({@link AuthSql#BUMP_EPOCH} or {@link AuthSql#NEXT_EPOCH}); in
   * cluster mode only under this node's lease, else it fails as {@link #notOwner} and nothing
   * after it in the transaction runs.
   */
  static Future<Void> bump(SqlClient conn, String org, LeaseManager leases, String singleNode,
      String refused) {
    if (leases == null) {
      return conn.preparedQuery(singleNode).execute(Tuple.of(org)).mapEmpty();
    }
    return underLease(conn, org, leases, refused).mapEmpty();
  }

  private static Future<Long> underLease(SqlClient client, String org, LeaseManager leases,
      String refused) {
    LeaseManager.Lease lease = leases.lease(org);
    Future<Long> epoch = lease == null ? Future.succeededFuture(null) : client
        .preparedQuery(AuthSql.NEXT_EPOCH_UNDER_LEASE)
        .execute(Tuple.of(org, leases.node(), lease.epoch()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    return epoch.compose(next -> next != null ? Future.succeededFuture(next)
        : Future.failedFuture(notOwner(org, leases, refused)));
  }

  /** Refused as a revoked writer is (nothing written), the cause saying it is not the owner. */
  static AuthStateException notOwner(String org, LeaseManager leases, String refused) {
    NotOwnerException cause = new NotOwnerException(org, leases.node());
    return new AuthStateException(AuthStateException.Kind.REVOKED, "node " + leases.node()
        + " does not hold the lease of organization " + org + "; " + refused, cause);
  }
}
