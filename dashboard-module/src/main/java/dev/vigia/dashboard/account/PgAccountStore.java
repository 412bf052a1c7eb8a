package dev.vigia.dashboard.account;

import dev.vigia.common.OrgId;
import dev.vigia.common.pg.OrgRow;
import dev.vigia.common.pg.PgFailure;
import dev.vigia.dashboard.account.AccountStoreException.Reason;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in PostgreSQL (schema V13): {@code account_org}, {@code app_user} (PBKDF2 hashes),
 * {@code user_org}, {@code api_key} (SHA-256 hashes). Every change is one transaction, so
 * deleting an org with its keys and memberships is never half-done; the last admin is protected
 * under a lock of the admins' rows, so two nodes demoting the last two admins at once cannot
 * both succeed.
 */
public final class PgAccountStore implements AccountStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgAccountStore.class);

  private static final String ORG_COLUMNS = "org, name, alert_emails, webhook_url, language";
  private static final String USER_COLUMNS = "u.username, u.password_hash, u.role,"
      + " ARRAY(SELECT m.org FROM user_org m WHERE m.username = u.username ORDER BY m.position)";
  private static final String KEY_COLUMNS = "id, org, hash, created_at, label";

  static final String LIST_ORGS = "SELECT " + ORG_COLUMNS + " FROM account_org ORDER BY org";
  static final String FIND_ORG = "SELECT " + ORG_COLUMNS + " FROM account_org WHERE org = $1";
  static final String CREATE_ORG = "INSERT INTO account_org (" + ORG_COLUMNS + ")"
      + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org) DO NOTHING RETURNING org";
  static final String UPDATE_ORG = "UPDATE account_org SET name = $2, alert_emails = $3,"
      + " webhook_url = $4, language = $5 WHERE org = $1 RETURNING org";
  /** Its keys and memberships go with it (ON DELETE CASCADE); its journal and stats stay. */
  static final String DELETE_ORG = "DELETE FROM account_org WHERE org = $1 RETURNING org";
  /** The first of $1 that is not an org, if any (the foreign key still guards a race). */
  static final String MISSING_ORG = "SELECT o FROM unnest($1::text[]) AS o WHERE NOT EXISTS"
      + " (SELECT 1 FROM account_org a WHERE a.org = o) LIMIT 1";

  static final String LIST_USERS = "SELECT " + USER_COLUMNS + " FROM app_user u ORDER BY u.username";
  static final String FIND_USER = "SELECT " + USER_COLUMNS + " FROM app_user u WHERE u.username = $1";
  static final String LOCK_USER = "SELECT " + USER_COLUMNS
      + " FROM app_user u WHERE u.username = $1 FOR UPDATE";
  /** Serializes every change that could leave no admin (a demotion or deletion elsewhere waits). */
  static final String LOCK_ADMINS = "SELECT username FROM app_user WHERE role = 'admin' FOR UPDATE";
  static final String CREATE_USER = "INSERT INTO app_user (username, password_hash, role)"
      + " VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING RETURNING username";
  static final String UPDATE_USER =
      "UPDATE app_user SET password_hash = $2, role = $3 WHERE username = $1";
  static final String DELETE_USER = "DELETE FROM app_user WHERE username = $1";
  static final String CLEAR_MEMBERSHIPS = "DELETE FROM user_org WHERE username = $1";
  static final String ADD_MEMBERSHIPS = "INSERT INTO user_org (username, org, position)"
      + " SELECT $1, t.org, t.n FROM unnest($2::text[]) WITH ORDINALITY AS t(org, n)";

  static final String CREATE_KEY = "INSERT INTO api_key (" + KEY_COLUMNS + ")"
      + " SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM account_org WHERE org = $2)"
      + " RETURNING id";
  static final String LIST_KEYS = "SELECT " + KEY_COLUMNS + " FROM api_key WHERE org = $1"
      + " ORDER BY created_at, id";
  static final String DELETE_KEY = "DELETE FROM api_key WHERE org = $1 AND id = $2"
      + " RETURNING " + KEY_COLUMNS;
  static final String FIND_KEY = "SELECT " + KEY_COLUMNS + " FROM api_key WHERE hash = $1";

  private final Pool pool;

  public PgAccountStore(Pool pool) {
    this.pool = pool;
  }

  /** The database is opened (migrated) by the app before any store is used. */
  @Override
  public Future<Void> open() {
    return Future.succeededFuture();
  }

  // --- orgs ---------------------------------------------------------------------------------

  @Override
  public Future<List<Org>> listOrgs() {
    return query("read the organizations", null, pool.query(LIST_ORGS).execute(),
        rows -> all(rows, PgAccountStore::org));
  }

  @Override
  public Future<Optional<Org>> findOrg(String id) {
    return query("read an organization", null, pool.preparedQuery(FIND_ORG).execute(Tuple.of(id)),
        rows -> first(rows, PgAccountStore::org));
  }

  @Override
  public Future<Org> createOrg(Org org) {
    if (!OrgId.isValid(org.id())) {
      return Future.failedFuture(new IllegalArgumentException(OrgId.describeInvalid()));
    }
    return change("create the organization", org.id(), conn -> conn
        .preparedQuery(OrgRow.ENSURE).execute(Tuple.of(org.id()))
        .compose(v -> conn.preparedQuery(CREATE_ORG).execute(orgTuple(org)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new AccountStoreException(Reason.CONFLICT,
                "organization " + org.id() + " exists"))
            : Future.succeededFuture(org)));
  }

  @Override
  public Future<Org> updateOrg(Org org) {
    return change("change the organization", org.id(), conn -> conn.preparedQuery(UPDATE_ORG)
        .execute(orgTuple(org))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(missingOrg(org.id()))
            : Future.succeededFuture(org)));
  }

  @Override
  public Future<Void> deleteOrg(String id) {
    return change("delete the organization", id, conn -> conn.preparedQuery(DELETE_ORG)
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(missingOrg(id))
            : Future.<Void>succeededFuture()));
  }

  // --- users --------------------------------------------------------------------------------

  @Override
  public Future<List<User>> listUsers() {
    return query("read the users", null, pool.query(LIST_USERS).execute(),
        rows -> all(rows, PgAccountStore::user));
  }

  @Override
  public Future<Optional<User>> findUser(String username) {
    return query("read a user", null, pool.preparedQuery(FIND_USER).execute(Tuple.of(username)),
        rows -> first(rows, PgAccountStore::user));
  }

  @Override
  public Future<User> createUser(User user) {
    return change("create a user", null, conn -> requireOrgs(conn, user.orgs())
        .compose(v -> conn.preparedQuery(CREATE_USER)
            .execute(Tuple.of(user.username(), user.passwordHash(), user.role())))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new AccountStoreException(Reason.CONFLICT,
                "user " + user.username() + " exists"))
            : memberships(conn, user))
        .map(user));
  }

  @Override
  public Future<User> updateUser(String username, UnaryOperator<User> edit) {
    return change("change a user", null, conn -> conn.preparedQuery(LOCK_ADMINS).execute()
        .compose(admins -> conn.preparedQuery(LOCK_USER).execute(Tuple.of(username))
            .compose(rows -> {
              User old = first(rows, PgAccountStore::user)
                  .orElseThrow(() -> missingUser(username));
              User next = edit.apply(old);
              if (!next.username().equals(username)) {
                throw new IllegalArgumentException("a user cannot be renamed");
              }
              if (old.isAdmin() && !next.isAdmin()) {
                requireAnotherAdmin(admins, username, "demoted");
              }
              return requireOrgs(conn, next.orgs())
                  .compose(v -> conn.preparedQuery(UPDATE_USER)
                      .execute(Tuple.of(username, next.passwordHash(), next.role())))
                  .compose(v -> conn.preparedQuery(CLEAR_MEMBERSHIPS).execute(Tuple.of(username)))
                  .compose(v -> memberships(conn, next))
                  .map(next);
            })));
  }

  @Override
  public Future<Void> deleteUser(String username) {
    return change("delete a user", null, conn -> conn.preparedQuery(LOCK_ADMINS).execute()
        .compose(admins -> conn.preparedQuery(LOCK_USER).execute(Tuple.of(username))
            .compose(rows -> {
              User user = first(rows, PgAccountStore::user)
                  .orElseThrow(() -> missingUser(username));
              if (user.isAdmin()) {
                requireAnotherAdmin(admins, username, "deleted");
              }
              return conn.preparedQuery(DELETE_USER).execute(Tuple.of(username));
            }))
        .<Void>mapEmpty());
  }

  private static Future<Void> requireOrgs(SqlConnection conn, List<String> orgs) {
    if (orgs.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(MISSING_ORG)
        .execute(Tuple.tuple().addArrayOfString(orgs.toArray(String[]::new)))
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(missingOrg(rows.iterator().next().getString(0))));
  }

  private static Future<Void> memberships(SqlConnection conn, User user) {
    if (user.orgs().isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(ADD_MEMBERSHIPS)
        .execute(Tuple.tuple().addString(user.username())
            .addArrayOfString(user.orgs().toArray(String[]::new))).mapEmpty();
  }

  /** Nobody could make a new admin once the last one is gone: refuse instead. */
  private static void requireAnotherAdmin(RowSet<Row> admins, String username, String what) {
    for (Row admin : admins) {
      if (!admin.getString(0).equals(username)) {
        return;
      }
    }
    throw new AccountStoreException(Reason.LAST_ADMIN, "user " + username
        + " is the last admin and cannot be " + what + ": make another user admin first");
  }

  // --- API keys -----------------------------------------------------------------------------

  @Override
  public Future<ApiKey> createApiKey(ApiKey key) {
    ApiKey stored = new ApiKey(key.id(), key.org(), key.hash(),
        key.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), key.label());
    return change("create an API key", key.org(), conn -> conn.preparedQuery(CREATE_KEY)
        .execute(Tuple.of(stored.id(), stored.org(), stored.hash(), utc(stored), stored.label()))
        .recover(e -> Future.failedFuture(PgFailure.isUniqueViolation(e)
            ? new AccountStoreException(Reason.CONFLICT, "the API key " + key.id() + " exists")
            : e))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(missingOrg(key.org()))
            : Future.succeededFuture(stored)));
  }

  @Override
  public Future<List<ApiKey>> listApiKeys(String org) {
    return query("read the API keys", org, pool.preparedQuery(LIST_KEYS).execute(Tuple.of(org)),
        rows -> all(rows, PgAccountStore::apiKey));
  }

  @Override
  public Future<ApiKey> deleteApiKey(String org, String id) {
    return change("delete an API key", org, conn -> conn.preparedQuery(DELETE_KEY)
        .execute(Tuple.of(org, id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new AccountStoreException(Reason.NOT_FOUND,
                "organization " + org + " has no API key " + id))
            : Future.succeededFuture(apiKey(rows.iterator().next()))));
  }

  @Override
  public Future<Optional<ApiKey>> findApiKeyByHash(String hash) {
    return query("check an API key", null, pool.preparedQuery(FIND_KEY).execute(Tuple.of(hash)),
        rows -> first(rows, PgAccountStore::apiKey));
  }

  // --- rows ---------------------------------------------------------------------------------

  private static Tuple orgTuple(Org org) {
    return Tuple.of(org.id(), org.name(), org.alertEmails().toArray(String[]::new),
        org.webhookUrl(), org.language());
  }

  private static Org org(Row row) {
    return new Org(row.getString(0), row.getString(1), Arrays.asList(row.getArrayOfStrings(2)),
        row.getString(3), row.getString(4));
  }

  private static User user(Row row) {
    return new User(row.getString(0), row.getString(1), row.getString(2),
        Arrays.asList(row.getArrayOfStrings(3)));
  }

  private static ApiKey apiKey(Row row) {
    return new ApiKey(row.getString(0), row.getString(1), row.getString(2),
        row.getOffsetDateTime(3).toInstant(), row.getString(4));
  }

  private static OffsetDateTime utc(ApiKey key) {
    return OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC);
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> read) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(read.apply(row)));
    return out;
  }

  private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> read) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(read.apply(rows.iterator().next()));
  }

  private static AccountStoreException missingOrg(String id) {
    return new AccountStoreException(Reason.NOT_FOUND, "organization " + id + " does not exist");
  }

  private static AccountStoreException missingUser(String username) {
    return new AccountStoreException(Reason.NOT_FOUND, "user " + username + " does not exist");
  }

  private static <T> Future<T> query(String what, String org, Future<RowSet<Row>> rows,
      Function<RowSet<Row>, T> read) {
    return PgFailure.guard(rows.map(read), LOG, what, org);
  }

  /** One transaction; a refusal inside it rolls everything back. */
  private <T> Future<T> change(String what, String org,
      Function<SqlConnection, Future<T>> work) {
    return PgFailure.guard(pool.withTransaction(work), LOG, what, org);
  }
}
