package dev.vigia.gateway.store.pg;

import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.gateway.store.AuthStateException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The fencing epoch a new session run of an org gets: one more than any before it, every write
 * of older runs refused from then on. In cluster mode only under this node's lease of the org,
 * so a node that lost the org (frozen past its lease, say) cannot outbid its new owner.
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
    LeaseManager.Lease lease = leases.lease(org);
    Future<Long> epoch = lease == null ? Future.succeededFuture(null) : pool
        .preparedQuery(AuthSql.NEXT_EPOCH_UNDER_LEASE)
        .execute(Tuple.of(org, leases.node(), lease.epoch()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    return epoch.compose(next -> next != null ? Future.succeededFuture(next)
        : Future.failedFuture(new AuthStateException(AuthStateException.Kind.REVOKED, "node "
            + leases.node() + " does not hold the lease of organization " + org
            + "; no session run was opened")));
  }
}
