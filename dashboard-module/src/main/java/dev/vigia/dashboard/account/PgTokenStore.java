package dev.vigia.dashboard.account;

import dev.vigia.common.pg.PgFailure;
import dev.vigia.dashboard.account.AccountStoreException.Reason;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin tokens in PostgreSQL (schema V21, {@code admin_token}): hashes only, shared by every
 * node, so a token made on one machine works on all. As with the file, a token is not deleted
 * when its admin changes: {@link AdminTokens#stillValidFor} judges it on every use.
 */
public final class PgTokenStore implements TokenStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgTokenStore.class);

  private static final String COLUMNS = "id, username, hash, user_stamp, created_at, label";

  static final String CREATE = "INSERT INTO admin_token (" + COLUMNS + ")"
      + " VALUES ($1, $2, $3, $4, $5, $6)";
  static final String LIST = "SELECT " + COLUMNS + " FROM admin_token ORDER BY created_at, id";
  static final String DELETE = "DELETE FROM admin_token WHERE id = $1 RETURNING " + COLUMNS;
  static final String FIND = "SELECT " + COLUMNS + " FROM admin_token WHERE hash = $1";

  private final Pool pool;

  public PgTokenStore(Pool pool) {
    this.pool = pool;
  }

  /** The database is opened (migrated) by the app before any store is used. */
  @Override
  public Future<Void> open() {
    return Future.succeededFuture();
  }

  @Override
  public Future<AdminToken> create(AdminToken token) {
    // PostgreSQL keeps microseconds: what is returned is what a later read gives
    AdminToken stored = new AdminToken(token.id(), token.username(), token.hash(),
        token.userStamp(), token.createdAt().truncatedTo(ChronoUnit.MICROS), token.label());
    return PgFailure.guard(pool.preparedQuery(CREATE)
        .execute(Tuple.of(stored.id(), stored.username(), stored.hash(), stored.userStamp(),
            OffsetDateTime.ofInstant(stored.createdAt(), ZoneOffset.UTC), stored.label()))
        .recover(e -> Future.failedFuture(PgFailure.isUniqueViolation(e)
            ? new AccountStoreException(Reason.CONFLICT, "the admin token " + token.id()
                + " exists")
            : e))
        .map(stored), LOG, "create an admin token", null);
  }

  @Override
  public Future<List<AdminToken>> list() {
    return PgFailure.guard(pool.query(LIST).execute().map(rows -> {
      List<AdminToken> out = new ArrayList<>(rows.size());
      rows.forEach(row -> out.add(token(row)));
      return out;
    }), LOG, "read the admin tokens", null);
  }

  @Override
  public Future<AdminToken> delete(String id) {
    return PgFailure.guard(pool.preparedQuery(DELETE).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new AccountStoreException(Reason.NOT_FOUND,
                "there is no admin token " + id))
            : Future.succeededFuture(token(rows.iterator().next()))),
        LOG, "revoke an admin token", null);
  }

  @Override
  public Future<Optional<AdminToken>> findByHash(String hash) {
    return PgFailure.guard(pool.preparedQuery(FIND).execute(Tuple.of(hash))
        .map(PgTokenStore::first), LOG, "check an admin token", null);
  }

  private static Optional<AdminToken> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(token(rows.iterator().next()));
  }

  private static AdminToken token(Row row) {
    return new AdminToken(row.getString(0), row.getString(1), row.getString(2),
        row.getString(3), row.getOffsetDateTime(4).toInstant(), row.getString(5));
  }
}
