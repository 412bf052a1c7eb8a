package dev.vigia.gateway.store.pg;

import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.LinkedLogin;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive side of {@link PgAuthStateStore}: {@code auth_archive} rows listed, and one moved
 * back into {@code auth_state} / {@code auth_key} in one transaction that also adds one to the
 * org's epoch, so no writer of an earlier run (in any process) writes into the restored state.
 */
final class PgArchive {

  private static final Logger LOG = LoggerFactory.getLogger(PgArchive.class);
  /** The store numbers its archives: {@code archive/<org>/<n>}. */
  private static final Pattern ID = Pattern.compile("^[1-9][0-9]{0,17}$");

  private PgArchive() {}

  static Future<List<ArchivedState>> list(Pool pool, String org) {
    return pool.preparedQuery(AuthSql.LIST_ARCHIVES).execute(Tuple.of(org)).map(rows -> {
      List<ArchivedState> archives = new ArrayList<>(rows.size());
      rows.forEach(row -> archives.add(describe(org, row)));
      return archives;
    });
  }

  /** Fails with 400 for an id this store never makes, before it reaches a query. */
  static long requireId(String archiveId) {
    if (archiveId == null || !ID.matcher(archiveId).matches()) {
      throw new IllegalArgumentException("invalid archive id: the PostgreSQL store numbers its"
          + " archives (1, 2, …)");
    }
    return Long.parseLong(archiveId);
  }

  /** @param leases this node's leases in cluster mode (only the owner restores); null: one node */
  static Future<ArchivedState> restore(Pool pool, String org, long id, OffsetDateTime now,
      LeaseManager leases) {
    Tuple archive = Tuple.of(org, id);
    return pool.withTransaction(conn -> conn.preparedQuery(AuthSql.LOCK_ARCHIVE).execute(archive)
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new AuthStateException(Kind.NOT_FOUND, "organization "
                + org + " has no archive " + id + " (restored or purged already?)"));
          }
          ArchivedState found = describe(org, rows.iterator().next());
          // fencing: every writer of an earlier run, here or on another node, is refused from now
          return RunEpochs.bump(conn, org, leases, AuthSql.NEXT_EPOCH, "nothing was restored")
              .compose(v -> conn.preparedQuery(AuthSql.DROP_EMPTY_STATE).execute(Tuple.of(org)))
              .compose(v -> conn.preparedQuery(AuthSql.RESTORE_STATE)
                  .execute(Tuple.of(org, id, now)))
              .compose(taken -> taken.size() == 0
                  ? Future.failedFuture(new AuthStateException(Kind.CONFLICT, "organization "
                      + org + " already has auth state; restoring an archive never replaces it;"
                      + " clear it first (it is archived too), then restore; nothing was"
                      + " restored"))
                  : conn.preparedQuery(AuthSql.RESTORE_KEYS).execute(archive))
              .compose(v -> conn.preparedQuery(AuthSql.DELETE_ARCHIVE).execute(archive))
              .map(v -> found);
        }))
        .onSuccess(found -> OrgMdc.run(org, () -> LOG.info(
            "auth state of org {} restored from archive {}", org, id)));
  }

  private static ArchivedState describe(String org, Row row) {
    JsonObject creds = parse(org, row.getString("creds"));
    return new ArchivedState(String.valueOf(row.getLong("archive_id")),
        row.getOffsetDateTime("archived_at").toInstant(), row.getString("reason"),
        row.getString("actor"), LinkedLogin.isLinked(creds), LinkedLogin.phone(creds));
  }

  private static JsonObject parse(String org, String text) {
    if (text == null) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      OrgMdc.run(org, () -> LOG.warn("archived creds of org {} are not a JSON object", org));
      return null;
    }
  }
}
