package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.pg.PgFailure;
import dev.vigia.common.gateway.SendReceipt;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys in PostgreSQL ({@code idempotent_send}, schema V15), so a retry reaching
 * another node, or this one after a restart, gets the first answer. A send first claims its key
 * (one statement: only one claim wins); the winner sends and records the receipt, or removes the
 * claim when the send failed so it may be tried again. A retry that finds the claim without a
 * receipt is told the send is under way (409); a claim left {@link #ABANDONED} long by a process
 * that died may be taken over. Retries on this node share the send in flight.
 */
public final class PgIdempotentSends implements IdempotentSends {

  private static final Logger LOG = LoggerFactory.getLogger(PgIdempotentSends.class);

  /** Far longer than a send may take (the gateway answers within its bus timeout). */
  static final Duration ABANDONED = Duration.ofMinutes(1);
  private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);

  /** Wins when the key is new, expired, or its claim was abandoned; no row back: another holds it. */
  static final String CLAIM = "WITH o AS (INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING)"
      + " INSERT INTO idempotent_send AS s (org, key, claimed_at) VALUES ($1, $2, $3)"
      + " ON CONFLICT (org, key) DO UPDATE SET claimed_at = excluded.claimed_at, receipt = NULL"
      + " WHERE s.claimed_at < $4 OR (s.receipt IS NULL AND s.claimed_at < $5)"
      + " RETURNING true";
  static final String RECEIPT = "SELECT receipt FROM idempotent_send WHERE org = $1 AND key = $2";
  static final String RECORD = "UPDATE idempotent_send SET receipt = $3 WHERE org = $1 AND key = $2";
  static final String RELEASE =
      "DELETE FROM idempotent_send WHERE org = $1 AND key = $2 AND receipt IS NULL";
  static final String EXPIRE = "DELETE FROM idempotent_send WHERE claimed_at < $1";

  private final Pool pool;
  private final Clock clock;
  private final Map<String, Future<SendReceipt>> inFlight = new ConcurrentHashMap<>();
  private volatile Instant lastClean = Instant.EPOCH;

  public PgIdempotentSends(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public Future<SendReceipt> once(String org, String key, Supplier<Future<SendReceipt>> send) {
    if (key == null) {
      return send.get();
    }
    String id = org + "\n" + key;
    Future<SendReceipt> running = inFlight.get(id);
    if (running != null) {
      return running;
    }
    Instant now = clock.instant();
    cleanOccasionally(now);
    Future<SendReceipt> mine = PgFailure.guard(pool.preparedQuery(CLAIM).execute(Tuple.of(org, key,
        utc(now), utc(now.minus(KEEP)), utc(now.minus(ABANDONED)))), LOG,
        "claim an idempotency key", org)
        .compose(claimed -> claimed.size() > 0 ? sendClaimed(org, key, send) : answered(org, key));
    inFlight.put(id, mine);
    mine.onComplete(done -> inFlight.remove(id, mine));
    return mine;
  }

  private Future<SendReceipt> sendClaimed(String org, String key,
      Supplier<Future<SendReceipt>> send) {
    Future<SendReceipt> sent;
    try {
      sent = send.get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.transform(ar -> {
      if (ar.failed()) {
        // forgotten before the failure is answered, so the client's retry with the same key
        // finds it free (answering first let a quick retry meet the claim: 409)
        return pool.preparedQuery(RELEASE).execute(Tuple.of(org, key)).transform(released -> {
          if (released.failed()) {
            OrgMdc.run(org, () -> LOG.warn("org {}: a failed send's idempotency key stays"
                + " claimed for {} s: {}", org, ABANDONED.toSeconds(),
                released.cause().toString()));
          }
          return Future.<SendReceipt>failedFuture(ar.cause());
        });
      }
      SendReceipt receipt = ar.result();
      String text = Json.toJson(receipt).encode();
      return pool.preparedQuery(RECORD).execute(Tuple.of(org, key, text)).transform(recorded -> {
        if (recorded.failed()) {
          // the message went out: its answer is still given; a retry is told it is under way
          OrgMdc.run(org, () -> LOG.error("org {}: message {} was sent but its idempotency key"
              + " could not be recorded (a retry after {} s may send it again): {}", org,
              receipt == null ? "?" : receipt.id(), ABANDONED.toSeconds(),
              recorded.cause().toString()));
        }
        return Future.succeededFuture(receipt);
      });
    });
  }

  /** Another send holds the key: its receipt, or 409 while it is under way. */
  private Future<SendReceipt> answered(String org, String key) {
    return PgFailure.guard(pool.preparedQuery(RECEIPT).execute(Tuple.of(org, key)), LOG,
        "read an idempotency key", org).compose(rows -> {
          String text = rows.size() == 0 ? null : rows.iterator().next().getString(0);
          if (text == null) {
            return Future.failedFuture(new ApiException(409, "in_progress", "a send with this"
                + " Idempotency-Key is under way; try again in a few seconds with the same key"));
          }
          try {
            return Future.succeededFuture(Json.mapper().readValue(text, SendReceipt.class));
          } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("unreadable receipt", e));
          }
        });
  }

  /** Keys older than {@link #KEEP} go, at most once a minute per node. */
  private void cleanOccasionally(Instant now) {
    if (lastClean.plus(CLEAN_EVERY).isAfter(now)) {
      return;
    }
    lastClean = now;
    pool.preparedQuery(EXPIRE).execute(Tuple.of(utc(now.minus(KEEP))))
        .onFailure(e -> LOG.warn("old idempotency keys could not be removed (tried again in a"
            + " minute): {}", e.toString()));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
