package dev.vigia.gateway.store.pg;

/**
 * The statements of {@link PgAuthStateStore} (schema: {@code common/.../db/migration/V1__auth_state.sql}).
 * Values are always parameters; a batch of keys is one statement over arrays.
 */
final class AuthSql {

  private AuthSql() {}

  static final String ENSURE_ORG = "INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING";

  /** A new run: the org's epoch grows by one (the first run gets 1). */
  static final String NEXT_EPOCH = "INSERT INTO session_lease (org, epoch) VALUES ($1, 1)"
      + " ON CONFLICT (org) DO UPDATE SET epoch = session_lease.epoch + 1 RETURNING epoch";

  /**
   * The fence of a run's write: read under a share lock, so a newer run (which updates the row)
   * waits for this write to commit, or this write sees the newer epoch and is refused.
   */
  static final String CURRENT_EPOCH = "SELECT epoch FROM session_lease WHERE org = $1 FOR SHARE";

  /** A clear fences every writer of the org, in this process or any other. */
  static final String BUMP_EPOCH = "UPDATE session_lease SET epoch = epoch + 1 WHERE org = $1";

  static final String TOUCH_STATE = "INSERT INTO auth_state (org, last_write) VALUES ($1, $2)"
      + " ON CONFLICT (org) DO UPDATE SET last_write = excluded.last_write";

  static final String WRITE_CREDS = "INSERT INTO auth_state (org, creds, last_write)"
      + " VALUES ($1, $2, $3)"
      + " ON CONFLICT (org) DO UPDATE SET creds = excluded.creds, last_write = excluded.last_write";

  static final String READ_CREDS = "SELECT creds FROM auth_state WHERE org = $1";

  static final String SET_KEYS = "INSERT INTO auth_key (org, type, id, value)"
      + " SELECT $1, k.type, k.id, k.value"
      + " FROM unnest($2::text[], $3::text[], $4::text[]) AS k(type, id, value)"
      + " ON CONFLICT (org, type, id) DO UPDATE SET value = excluded.value";

  static final String DELETE_KEYS = "DELETE FROM auth_key WHERE org = $1 AND (type, id) IN"
      + " (SELECT k.type, k.id FROM unnest($2::text[], $3::text[]) AS k(type, id))";

  static final String GET_KEYS =
      "SELECT id, value FROM auth_key WHERE org = $1 AND type = $2 AND id = ANY($3::text[])";

  /** $3 is a LIKE pattern whose wildcards were escaped with a backslash. */
  static final String KEY_IDS = "SELECT id FROM auth_key WHERE org = $1 AND type = $2"
      + " AND id LIKE $3 ESCAPE '\\' ORDER BY id";

  /** An org has auth state when it has creds or at least one key. */
  private static final String HAS_STATE = "(s.creds IS NOT NULL"
      + " OR EXISTS (SELECT 1 FROM auth_key k WHERE k.org = s.org))";

  static final String LIST = "SELECT s.org, s.last_write, s.creds IS NOT NULL FROM auth_state s"
      + " WHERE " + HAS_STATE + " ORDER BY s.org";

  /** Locks the org's state row, so nothing writes to it while it moves. */
  static final String ARCHIVE_STATE = "INSERT INTO auth_archive"
      + " (org, archived_at, reason, actor, creds, last_write)"
      + " SELECT s.org, $2, $3, $4, s.creds, s.last_write FROM auth_state s"
      + " WHERE s.org = $1 AND " + HAS_STATE + " FOR UPDATE RETURNING archive_id";

  static final String ARCHIVE_KEYS = "INSERT INTO auth_archive_key (org, archive_id, type, id, value)"
      + " SELECT org, $2, type, id, value FROM auth_key WHERE org = $1";

  /** The keys go with it (ON DELETE CASCADE). */
  static final String DELETE_STATE = "DELETE FROM auth_state WHERE org = $1";

  /** An org's archives, newest first (schema V2 added the actor). */
  static final String LIST_ARCHIVES = "SELECT archive_id, archived_at, reason, actor, creds"
      + " FROM auth_archive WHERE org = $1 ORDER BY archived_at DESC, archive_id DESC";

  /** The archive to restore, locked: a purge or a second restore waits, then finds nothing. */
  static final String LOCK_ARCHIVE = "SELECT archive_id, archived_at, reason, actor, creds"
      + " FROM auth_archive WHERE org = $1 AND archive_id = $2 FOR UPDATE";

  /** An empty state row (no creds, no keys) is no state: it makes way for the restored one. */
  static final String DROP_EMPTY_STATE = "DELETE FROM auth_state s WHERE s.org = $1 AND NOT "
      + HAS_STATE;

  /** No row back: the org still has state, and a restore never overwrites it. */
  static final String RESTORE_STATE = "INSERT INTO auth_state (org, creds, last_write)"
      + " SELECT org, creds, $3 FROM auth_archive WHERE org = $1 AND archive_id = $2"
      + " ON CONFLICT (org) DO NOTHING RETURNING org";

  static final String RESTORE_KEYS = "INSERT INTO auth_key (org, type, id, value)"
      + " SELECT org, type, id, value FROM auth_archive_key WHERE org = $1 AND archive_id = $2";

  /** A restored archive leaves the list (its keys go with it: ON DELETE CASCADE). */
  static final String DELETE_ARCHIVE =
      "DELETE FROM auth_archive WHERE org = $1 AND archive_id = $2";

  static final String PURGE_ARCHIVES =
      "DELETE FROM auth_archive WHERE archived_at < $1 RETURNING org, archive_id";

  /**
   * An import lands only on an org without auth state: the row is created, or an empty one
   * taken; no row back means the org already has state.
   */
  static final String IMPORT_STATE = "INSERT INTO auth_state AS s (org, creds, last_write)"
      + " VALUES ($1, $2, $3) ON CONFLICT (org) DO UPDATE"
      + " SET creds = excluded.creds, last_write = excluded.last_write WHERE NOT " + HAS_STATE
      + " RETURNING org";

  static final String READ_ONLY =
      "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'";
}
