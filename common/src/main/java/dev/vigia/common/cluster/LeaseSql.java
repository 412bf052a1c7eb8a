package dev.vigia.common.cluster;

/**
 * The statements over {@code session_lease} and {@code cluster_node} (schema: {@code V1__auth_state.sql},
 * {@code V20__cluster_leases.sql}). Time is always the database's ({@code now()}): one clock for
 * every node, so skewed node clocks cannot make two owners. Values are parameters only.
 */
final class LeaseSql {

  private LeaseSql() {}

  static final String ENSURE_ORG = "INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING";

  /**
   * Takes the lease when nobody holds it (new, released, or expired): the fencing epoch grows by
   * one and becomes the claim's {@code lease_epoch}. A lease held by anyone, this node included,
   * is left alone (no row back): a restarted node waits for its old lease to end like any other.
   */
  static final String CLAIM = "INSERT INTO session_lease AS l"
      + " (org, epoch, owner_node, lease_until, lease_epoch)"
      + " VALUES ($1, 1, $2, now() + $3::float8 * interval '1 millisecond', 1)"
      + " ON CONFLICT (org) DO UPDATE SET epoch = l.epoch + 1, owner_node = excluded.owner_node,"
      + " lease_until = excluded.lease_until, lease_epoch = l.epoch + 1"
      + " WHERE l.owner_node IS NULL OR l.lease_until IS NULL OR l.lease_until <= now()"
      + " RETURNING l.lease_epoch";

  /** Who holds the org's lease now (a refused claim says whom it lost to). */
  static final String HOLDER = "SELECT owner_node, lease_until > now() FROM session_lease"
      + " WHERE org = $1";

  /**
   * Renews the leases this node still holds, each by the epoch of its claim, and only while it
   * has not ended: an expired lease may already be someone else's. The orgs renewed come back.
   */
  static final String RENEW = "UPDATE session_lease AS l"
      + " SET lease_until = now() + $2::float8 * interval '1 millisecond'"
      + " FROM unnest($3::text[], $4::bigint[]) AS mine(org, lease_epoch)"
      + " WHERE l.org = mine.org AND l.lease_epoch = mine.lease_epoch AND l.owner_node = $1"
      + " AND l.lease_until > now() RETURNING l.org";

  /** Gives the lease up at once (a graceful hand-over); only the claim that holds it can. */
  static final String RELEASE = "UPDATE session_lease SET owner_node = NULL, lease_until = NULL"
      + " WHERE org = $1 AND owner_node = $2 AND lease_epoch = $3";

  /**
   * Every org, leased or not yet (an org that never had a session run has no lease row, and is
   * placed like any other): who owns it, whether that lease still runs, whom an operator prefers.
   */
  static final String TABLE = "SELECT o.org, l.owner_node, l.lease_until > now(), l.preferred_node"
      + " FROM org o LEFT JOIN session_lease l ON l.org = o.org ORDER BY o.org";

  /**
   * The operator's node for an org: the balancer moves it there. An org with no lease row yet
   * gets one with no owner (epoch 1 is what a first claim would set anyway, and a claim adds one).
   */
  static final String PREFER = "INSERT INTO session_lease AS l (org, epoch, preferred_node)"
      + " VALUES ($1, 1, $2)"
      + " ON CONFLICT (org) DO UPDATE SET preferred_node = excluded.preferred_node";

  static final String OWNER = "SELECT owner_node FROM session_lease"
      + " WHERE org = $1 AND owner_node IS NOT NULL AND lease_until > now()";

  static final String BEAT = "INSERT INTO cluster_node (node, started_at, seen_until)"
      + " VALUES ($1, now(), now() + $2::float8 * interval '1 millisecond')"
      + " ON CONFLICT (node) DO UPDATE SET seen_until = excluded.seen_until";

  static final String LIVE_NODES = "SELECT node FROM cluster_node WHERE seen_until > now()"
      + " ORDER BY node";

  static final String LEAVE = "DELETE FROM cluster_node WHERE node = $1";
}
