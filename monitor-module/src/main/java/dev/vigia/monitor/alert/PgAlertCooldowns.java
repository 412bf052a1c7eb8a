package dev.vigia.monitor.alert;

import dev.vigia.common.OrgId;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.pg.PgFailure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert cooldowns in PostgreSQL ({@code alert_cooldown}, schema V15): they survive a restart, and
 * the claim is one statement (the row's lock decides), so two nodes never both send one alert.
 */
public final class PgAlertCooldowns implements AlertCooldowns {

  private static final Logger LOG = LoggerFactory.getLogger(PgAlertCooldowns.class);

  /** $4: the claim's time less the cooldown; a row sent after it holds the alert back. */
  static final String CLAIM = "WITH o AS (INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING)"
      + " INSERT INTO alert_cooldown AS c (org, kind, sent_at, suppressed) VALUES ($1, $2, $3, 0)"
      + " ON CONFLICT (org, kind) DO UPDATE SET"
      + " suppressed = CASE WHEN c.sent_at > $4 THEN c.suppressed + 1 ELSE 0 END,"
      + " sent_at = CASE WHEN c.sent_at > $4 THEN c.sent_at ELSE excluded.sent_at END"
      + " RETURNING suppressed";
  static final String RESOLVE = "DELETE FROM alert_cooldown WHERE org = $1 RETURNING kind";

  private final Pool pool;
  /** This node's claims of one org run in the order they were made. */
  private final KeyedQueue queue = new KeyedQueue();

  public PgAlertCooldowns(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Claim> claim(String org, String kind, Instant now, Duration cooldown) {
    if (!OrgId.isValid(org) || kind == null) {
      return Future.failedFuture(new IllegalArgumentException("invalid organization id or kind"));
    }
    return queue.run(org, () -> PgFailure.guard(pool.preparedQuery(CLAIM).execute(Tuple.of(org,
        kind, utc(now), utc(now.minus(cooldown)))), LOG, "claim the cooldown of alert " + kind,
        org)).map(rows -> {
          int suppressed = rows.iterator().next().getInteger(0);
          return new Claim(suppressed == 0, suppressed);
        });
  }

  @Override
  public Future<Set<String>> resolve(String org) {
    if (!OrgId.isValid(org)) {
      return Future.failedFuture(new IllegalArgumentException("invalid organization id"));
    }
    return queue.run(org, () -> PgFailure.guard(pool.preparedQuery(RESOLVE).execute(Tuple.of(org)),
        LOG, "resolve the alert cooldowns", org)).map(rows -> {
          Set<String> kinds = new TreeSet<>();
          for (Row row : rows) {
            kinds.add(row.getString(0));
          }
          return kinds;
        });
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
