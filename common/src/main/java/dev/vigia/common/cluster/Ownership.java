package dev.vigia.common.cluster;

/**
 * Whether this node owns an org's session now, which the monitor consults before it acts for the
 * org (a reconnect, a settle, a stale reap, an alert), so that in a cluster nothing is done twice
 * and nothing is done by a node that lost the session. A node owns an org while it holds its
 * lease ({@link LeaseManager#holds}); a single node owns every org.
 */
@FunctionalInterface
public interface Ownership {

  boolean owns(String org);

  /** Single-node mode: this node owns every org. */
  static Ownership everyOrg() {
    return org -> true;
  }
}
