-- Cluster mode (issue 11): which claim of the org's lease wrote its session record. A node saves
-- the record only while the lease is still its claim (session_lease.lease_epoch, owner_node and
-- lease_until checked in the same statement) and never over a record a newer claim wrote, so a
-- node that lost the org (frozen past its lease, say) cannot overwrite its new owner's record.
-- Null: written by a single node (no lease), or before this version.
ALTER TABLE session_record ADD COLUMN lease_epoch bigint;
