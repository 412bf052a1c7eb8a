package dev.vigia.monitor.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.pg.PgFailure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal in PostgreSQL ({@code journal_entry}, schema V11): one row per entry holding the
 * JSON line the file journal would append. One org's appends run one after another, so their
 * order is the order of the key; a read waits for the appends asked for before it.
 */
public final class PgJournal implements Journal {

  private static final Logger LOG = LoggerFactory.getLogger(PgJournal.class);

  static final String APPEND = "WITH o AS (INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING)"
      + " INSERT INTO journal_entry (org, at, entry) VALUES ($1, $2, $3)";
  static final String NEWEST =
      "SELECT entry FROM journal_entry WHERE org = $1 ORDER BY n DESC LIMIT $2";

  private final Pool pool;
  private final KeyedQueue queue = new KeyedQueue();

  public PgJournal(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> append(JournalEntry entry) {
    String org;
    String line;
    try {
      org = OrgId.require(entry.org());
      line = Json.mapper().writeValueAsString(entry);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    Instant at = entry.at() == null ? Instant.now() : entry.at();
    return queue.run(org, () -> PgFailure.guard(pool.preparedQuery(APPEND)
        .execute(Tuple.of(org, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), line)), LOG,
        "append to the journal", org).mapEmpty());
  }

  @Override
  public Future<List<JournalEntry>> newestFirst(String org, int limit) {
    if (!OrgId.isValid(org)) {
      return Future.failedFuture(new IllegalArgumentException(
          "invalid organization id: use 1 to 64 letters, digits, '-' or '_'"));
    }
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1"));
    }
    return queue.run(org, () -> PgFailure.guard(pool.preparedQuery(NEWEST)
        .execute(Tuple.of(org, limit)).map(rows -> {
          List<JournalEntry> entries = new ArrayList<>(rows.size());
          for (Row row : rows) {
            try {
              entries.add(Json.mapper().readValue(row.getString(0), JournalEntry.class));
            } catch (IOException e) {
              OrgMdc.run(org, () -> LOG.warn("journal of org {}: skipped an unreadable entry: {}",
                  org, e.getMessage()));
            }
          }
          return entries;
        }), LOG, "read the journal", org));
  }
}
