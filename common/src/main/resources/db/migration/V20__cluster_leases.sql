-- Cluster mode (issue 11): which node owns each org's session, and which nodes are alive.
-- Never edit an applied version: change the schema with a new V<n>__<what>.sql.
--
-- A node owns an org while session_lease.owner_node names it and lease_until (the database's
-- clock) is ahead. Claiming a free or expired lease adds one to the org's fencing epoch (the
-- epoch every auth-state write is checked against) and records that epoch in lease_epoch: the
-- claim's identity, which renewals and releases must present. Opening a writer or clearing adds
-- to epoch again without touching lease_epoch, so the owner keeps renewing; a node that lost
-- the lease presents an old lease_epoch and is refused.
ALTER TABLE session_lease ADD COLUMN lease_epoch bigint;
-- An operator's choice of node for this org (moved from the page or the API); null: any node.
ALTER TABLE session_lease ADD COLUMN preferred_node text;

-- Every node says it is alive, by the database's clock, as often as it renews its leases; the
-- balancer spreads sessions over the nodes seen alive.
CREATE TABLE cluster_node (
  node       text COLLATE "C" PRIMARY KEY CHECK (node ~ '^[A-Za-z0-9_-]{1,64}$'),
  started_at timestamptz NOT NULL,
  seen_until timestamptz NOT NULL
);
