package dev.vigia.dashboard.web;

import dev.vigia.common.pg.PgFailure;
import dev.vigia.dashboard.account.ApiKeys;
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
 * Web logins in PostgreSQL ({@code web_login}, schema V14): a restart logs nobody out, and every
 * node knows every login. The cookie's value is stored only as its SHA-256, so the table holds
 * no cookie that would log anyone in. A login's idle clock is written at most once a minute
 * ({@link #TOUCH_EVERY}): not a write per request.
 */
public final class PgWebSessions implements WebSessions {

  private static final Logger LOG = LoggerFactory.getLogger(PgWebSessions.class);
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  static final String EXPIRE = "DELETE FROM web_login WHERE last_seen <= $1";
  static final String CREATE = "INSERT INTO web_login (id_hash, username, xsrf_token, last_seen)"
      + " VALUES ($1, $2, $3, $4)";
  static final String FIND = "SELECT username, xsrf_token, last_seen FROM web_login"
      + " WHERE id_hash = $1 AND last_seen > $2";
  static final String TOUCH = "UPDATE web_login SET last_seen = $2 WHERE id_hash = $1";
  static final String REMOVE = "DELETE FROM web_login WHERE id_hash = $1";
  static final String REMOVE_USER = "DELETE FROM web_login WHERE username = $1";

  private final Pool pool;
  private final Clock clock;

  public PgWebSessions(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public Future<WebSession> create(String username) {
    Instant now = clock.instant();
    WebSession session = new WebSession(WebSessions.randomToken(), username,
        WebSessions.randomToken(), now);
    return PgFailure.guard(pool.preparedQuery(EXPIRE).execute(Tuple.of(utc(now.minus(IDLE))))
        .compose(v -> pool.preparedQuery(CREATE).execute(Tuple.of(ApiKeys.hash(session.id()),
            username, session.xsrfToken(), utc(now)))), LOG, "record a login", null)
        .map(session);
  }

  @Override
  public Future<Optional<WebSession>> find(String id) {
    if (id == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    String hash = ApiKeys.hash(id);
    return PgFailure.guard(pool.preparedQuery(FIND).execute(Tuple.of(hash, utc(now.minus(IDLE))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<WebSession>empty());
          }
          Row row = rows.iterator().next();
          WebSession session = new WebSession(id, row.getString(0), row.getString(1), now);
          Instant lastSeen = row.getOffsetDateTime(2).toInstant();
          if (lastSeen.isAfter(now.minus(TOUCH_EVERY))) {
            return Future.succeededFuture(Optional.of(session));
          }
          return pool.preparedQuery(TOUCH).execute(Tuple.of(hash, utc(now)))
              .map(Optional.of(session));
        }), LOG, "check a login", null);
  }

  @Override
  public Future<Void> remove(String id) {
    if (id == null) {
      return Future.succeededFuture();
    }
    return PgFailure.guard(pool.preparedQuery(REMOVE).execute(Tuple.of(ApiKeys.hash(id))), LOG,
        "end a login", null).mapEmpty();
  }

  @Override
  public Future<Void> removeUser(String username) {
    return PgFailure.guard(pool.preparedQuery(REMOVE_USER).execute(Tuple.of(username)), LOG,
        "end the logins of user " + username, null).mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
