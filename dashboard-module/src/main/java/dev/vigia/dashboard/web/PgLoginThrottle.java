package dev.vigia.dashboard.web;

import dev.vigia.common.pg.PgFailure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login throttle in PostgreSQL ({@code login_failure}, schema V14): one row per attempt not
 * followed by a success. An attempt is one transaction under an advisory lock of its (user name,
 * address) pair, so parallel guesses, on one node or several, are counted one after another and
 * none slips past the limit.
 */
public final class PgLoginThrottle implements LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(PgLoginThrottle.class);

  static final String LOCK_PAIR =
      "SELECT pg_advisory_xact_lock(hashtextextended($1::text || E'\\n' || $2::text, 0))";
  /** Every pair's attempts older than the window go (a pair never seen again is not kept). */
  static final String EXPIRE = "DELETE FROM login_failure WHERE at <= $1";
  static final String COUNT = "SELECT count(*), min(at) FROM login_failure"
      + " WHERE username = $1 AND address = $2";
  static final String RECORD = "INSERT INTO login_failure (username, address, at) VALUES ($1, $2, $3)";
  static final String FORGET = "DELETE FROM login_failure WHERE username = $1 AND address = $2";

  private final Pool pool;
  private final Clock clock;

  public PgLoginThrottle(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public Future<Optional<Duration>> attempt(String username, String address) {
    Instant now = clock.instant();
    return PgFailure.guard(pool.withTransaction(conn -> conn.preparedQuery(LOCK_PAIR)
        .execute(Tuple.of(username, address))
        .compose(v -> conn.preparedQuery(EXPIRE).execute(Tuple.of(utc(now.minus(WINDOW)))))
        .compose(v -> conn.preparedQuery(COUNT).execute(Tuple.of(username, address)))
        .compose(rows -> {
          Row row = rows.iterator().next();
          if (row.getLong(0) >= MAX_FAILURES) {
            Duration wait = Duration.between(now,
                row.getOffsetDateTime(1).toInstant().plus(WINDOW));
            return Future.succeededFuture(Optional.of(wait.isNegative() ? Duration.ZERO : wait));
          }
          return conn.preparedQuery(RECORD).execute(Tuple.of(username, address, utc(now)))
              .map(Optional.<Duration>empty());
        })), LOG, "count the login attempts of user " + username, null);
  }

  @Override
  public Future<Void> succeeded(String username, String address) {
    return PgFailure.guard(pool.preparedQuery(FORGET).execute(Tuple.of(username, address)), LOG,
        "forget the failed logins of user " + username, null).mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
