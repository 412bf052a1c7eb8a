package dev.vigia.gateway.session;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.pg.PgFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session records in PostgreSQL ({@code session_record}, schema V10): one row per org holding the
 * JSON the file store would write to {@code sessions/<org>.json}. As in the file store, saves of
 * one org apply in order and a save still waiting for its turn takes the newer record (a
 * restore's STARTING then CONNECTED is one statement).
 */
public final class PgSessionRecordStore implements SessionRecordStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgSessionRecordStore.class);

  static final String LOAD = "SELECT org, record FROM session_record";
  /** The org row is made sure of in the same statement (the record hangs off it). */
  static final String SAVE = "WITH o AS (INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING)"
      + " INSERT INTO session_record (org, record, saved_at) VALUES ($1, $2, $3)"
      + " ON CONFLICT (org) DO UPDATE SET record = excluded.record, saved_at = excluded.saved_at";
  static final String DELETE = "DELETE FROM session_record WHERE org = $1";

  private final Pool pool;
  private final Clock clock;
  private final KeyedQueue queue = new KeyedQueue();
  private final ConcurrentMap<String, Waiting> waitingSaves = new ConcurrentHashMap<>();

  public PgSessionRecordStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public Future<List<SessionRecord>> loadAll() {
    return PgFailure.guard(pool.query(LOAD).execute().map(rows -> {
      List<SessionRecord> records = new ArrayList<>(rows.size());
      for (Row row : rows) {
        SessionRecord record = read(row.getString(0), row.getString(1));
        if (record != null) {
          records.add(record);
        }
      }
      return records;
    }), LOG, "read the session records", null);
  }

  private static SessionRecord read(String org, String text) {
    try {
      SessionRecord record = Json.mapper().readValue(text, SessionRecord.class);
      return org.equals(record.org()) ? record : null;
    } catch (IOException e) {
      // one unreadable record must not keep the other orgs from starting
      OrgMdc.run(org, () -> LOG.warn("skipping the unreadable session record of org {}: {}", org,
          e.getMessage()));
      return null;
    }
  }

  @Override
  public Future<Void> save(SessionRecord record) {
    String org = OrgId.require(record.org());
    Waiting[] created = new Waiting[1];
    Waiting waiting = waitingSaves.compute(org, (k, queued) -> {
      if (queued != null) {
        queued.record = record;
        return queued;
      }
      created[0] = new Waiting(record);
      return created[0];
    });
    if (created[0] != null) {
      queue.run(org, () -> {
        // the statement is sent: from now on a newer record queues a save of its own
        waitingSaves.remove(org, waiting);
        String text;
        try {
          text = Json.mapper().writeValueAsString(waiting.record);
        } catch (IOException e) {
          return Future.failedFuture(new IllegalArgumentException("the session record of org "
              + org + " cannot be written as JSON", e));
        }
        return PgFailure.guard(pool.preparedQuery(SAVE).execute(Tuple.of(org, text,
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))), LOG,
            "save the session record", org).<Void>mapEmpty();
      }).onComplete(waiting.written);
    }
    return waiting.written.future();
  }

  /** A save queued and not started yet: the newest record of the org, and its outcome. */
  private static final class Waiting {
    volatile SessionRecord record;
    final Promise<Void> written = Promise.promise();

    Waiting(SessionRecord record) {
      this.record = record;
    }
  }

  @Override
  public Future<Void> delete(String org) {
    OrgId.require(org);
    return queue.run(org, () -> PgFailure.guard(pool.preparedQuery(DELETE).execute(Tuple.of(org)),
        LOG, "delete the session record", org).mapEmpty());
  }
}
