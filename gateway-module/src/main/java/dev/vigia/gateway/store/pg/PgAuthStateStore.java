package dev.vigia.gateway.store.pg;

import dev.vigia.common.ArchiveId;
import dev.vigia.common.OrgId;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import dev.vigia.gateway.store.RunWriter;
import dev.vigia.gateway.store.file.BaileysFolder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth-state store in PostgreSQL (DESIGN §6; schema in {@code V1__auth_state.sql} and later
 * versions): the same contract as the file store, the values kept as Baileys' JSON text, one
 * transaction per key batch. Operations of one org run in the order they were called
 * ({@link KeyedQueue}); their futures complete on the caller's context.
 *
 * <p>Fencing: {@link #openWriter} adds one to the org's epoch in the database, and every write of
 * a writer checks, in its own transaction and under a share lock of that row, that no newer epoch
 * exists; a clear and a restore ({@link PgArchive}) add one too. A run that another process (or
 * node) has replaced writes nothing.
 */
public final class PgAuthStateStore implements AuthStateStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgAuthStateStore.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final KeyedQueue queue = new KeyedQueue();
  /** The newest writer this process opened per org. */
  private final ConcurrentMap<String, RunWriter> writers = new ConcurrentHashMap<>();

  /** Cluster mode: runs open only under this node's lease of the org; null on a single node. */
  private final LeaseManager leases;

  public PgAuthStateStore(Vertx vertx, Pool pool, Clock clock) {
    this(vertx, pool, clock, null);
  }

  /** Cluster mode: {@link #openWriter} needs the org's lease held by this node ({@code leases}). */
  public PgAuthStateStore(Vertx vertx, Pool pool, Clock clock, LeaseManager leases) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leases = leases;
  }

  @Override
  public Future<Void> probe() {
    return pool.query(AuthSql.READ_ONLY).execute().transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(storage("reach the database", null, ar.cause()));
      }
      if (ar.result().iterator().next().getBoolean(0)) {
        return Future.failedFuture(new AuthStateException(Kind.STORAGE,
            "the PostgreSQL database is read-only (a standby, or transaction_read_only)"));
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<JsonObject> readCreds(String org) {
    return inOrder(org, "read the credentials", () -> pool.preparedQuery(AuthSql.READ_CREDS)
        .execute(Tuple.of(org)).map(rows -> {
          String text = rows.size() == 0 ? null : rows.iterator().next().getString(0);
          if (text == null) {
            return null;
          }
          try {
            return new JsonObject(text);
          } catch (DecodeException | ClassCastException e) {
            throw new AuthStateException(Kind.STORAGE,
                "the creds of organization " + org + " are not a JSON object");
          }
        }));
  }

  @Override
  public Future<Void> writeCreds(String org, JsonObject creds) {
    return writeCreds(org, creds, null);
  }

  Future<Void> writeCreds(String org, JsonObject creds, RunWriter writer) {
    if (creds == null) {
      return Future.failedFuture(new IllegalArgumentException("creds must not be null"));
    }
    String text = creds.encode();
    return inOrder(org, "write the credentials", () -> write(org, writer, conn -> List.of(conn
        .preparedQuery(AuthSql.WRITE_CREDS).execute(Tuple.of(org, text, now())))));
  }

  @Override
  public Future<AuthStateWriter> openWriter(String org) {
    return inOrder(org, "open a writer", () -> RunEpochs.next(pool, org, leases)
        .map(epoch -> {
          RunWriter opened = new RunWriter(org, epoch, this::writeCreds, this::setKeys);
          RunWriter previous = writers.put(org, opened);
          if (previous != null) {
            previous.revoke();
          }
          return opened;
        }));
  }

  @Override
  public Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids) {
    Map<String, String> stored = new LinkedHashMap<>();
    try {
      OrgId.require(org);
      for (String id : Objects.requireNonNull(ids, "ids")) {
        stored.put(id, BaileysFolder.storedId(type, id));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    String[] wanted = stored.values().stream().distinct().toArray(String[]::new);
    return inOrder(org, "read keys", () -> pool.preparedQuery(AuthSql.GET_KEYS)
        .execute(Tuple.of(org, type, wanted)).map(rows -> {
          Map<String, String> byStoredId = new TreeMap<>();
          for (Row row : rows) {
            byStoredId.put(row.getString(0), row.getString(1));
          }
          Map<String, String> values = new LinkedHashMap<>();
          stored.forEach((id, storedId) -> {
            String value = byStoredId.get(storedId);
            if (value != null) {
              values.put(id, value);
            }
          });
          return values;
        }));
  }

  @Override
  public Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    return setKeys(org, batch, null);
  }

  Future<Void> setKeys(String org, Map<String, Map<String, String>> batch, RunWriter writer) {
    KeyBatch keys;
    try {
      OrgId.require(org);
      keys = KeyBatch.of(batch);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    // the values' JSON is checked on a worker, not the event loop, while earlier work runs
    Future<KeyBatch> checked = vertx.executeBlocking(keys::requireJson, false);
    return inOrder(org, "write keys", () -> checked.compose(k -> write(org, writer, conn -> {
      List<Future<?>> sent = new ArrayList<>(3);
      sent.add(conn.preparedQuery(AuthSql.TOUCH_STATE).execute(Tuple.of(org, now())));
      if (k.hasSets()) {
        sent.add(conn.preparedQuery(AuthSql.SET_KEYS)
            .execute(Tuple.of(org, k.setTypes, k.setIds, k.setValues)));
      }
      if (k.hasDeletes()) {
        sent.add(conn.preparedQuery(AuthSql.DELETE_KEYS)
            .execute(Tuple.of(org, k.deleteTypes, k.deleteIds)));
      }
      return sent;
    })));
  }

  private Future<Void> write(String org, RunWriter writer,
      Function<SqlConnection, List<Future<?>>> body) {
    return WriteTransaction.run(pool, org, writer, body);
  }

  @Override
  public Future<List<String>> keyIds(String org, String type, String idPrefix) {
    try {
      BaileysFolder.requireType(type);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String pattern = likePrefix(idPrefix == null ? "" : idPrefix);
    return inOrder(org, "list keys", () -> pool.preparedQuery(AuthSql.KEY_IDS)
        .execute(Tuple.of(org, type, pattern)).map(rows -> {
          List<String> ids = new ArrayList<>(rows.size());
          rows.forEach(row -> ids.add(row.getString(0)));
          return ids;
        }));
  }

  /** {@code prefix} as a LIKE pattern: its own {@code \ % _} are escaped, so they match only themselves. */
  static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  @Override
  public Future<String> clear(String org, String reason, String actor) {
    revokeWriter(org);
    Instant at = clock.instant();
    // in cluster mode only the owner clears: its lease is checked with the epoch it adds
    return inOrder(org, "clear the auth state", () -> pool.withTransaction(conn -> RunEpochs
        .bump(conn, org, leases, AuthSql.BUMP_EPOCH, "nothing was cleared")
        .compose(v -> conn.preparedQuery(AuthSql.ARCHIVE_STATE)
            .execute(Tuple.of(org, utc(at), reason == null ? "" : reason, actor)))
        .compose(archived -> {
          Long id = archived.size() == 0 ? null : archived.iterator().next().getLong(0);
          Future<?> keys = id == null ? Future.succeededFuture()
              : conn.preparedQuery(AuthSql.ARCHIVE_KEYS).execute(Tuple.of(org, id));
          return keys.compose(v -> conn.preparedQuery(AuthSql.DELETE_STATE).execute(Tuple.of(org)))
              .map(v -> id);
        }))
        .map(id -> {
          if (id == null) {
            return null;
          }
          String where = "archive/" + org + "/" + id;
          OrgMdc.run(org, () -> LOG.info("auth state of org {} archived to {} ({}, by {})", org,
              where, BaileysFolder.printable(reason), BaileysFolder.printable(actor)));
          return where;
        }));
  }

  @Override
  public Future<List<ArchivedState>> archives(String org) {
    return inOrder(org, "list the archives", () -> PgArchive.list(pool, org));
  }

  @Override
  public Future<ArchivedState> restore(String org, String archiveId) {
    long id;
    try {
      OrgId.require(org);
      id = PgArchive.requireId(ArchiveId.require(archiveId));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    revokeWriter(org);
    return inOrder(org, "restore the archive",
        () -> PgArchive.restore(pool, org, id, now(), leases));
  }

  private void revokeWriter(String org) {
    if (OrgId.isValid(org)) {
      RunWriter current = writers.get(org);
      if (current != null) {
        current.revoke();
      }
    }
  }

  @Override
  public Future<Integer> purgeArchives(Instant olderThan) {
    if (olderThan == null) {
      return Future.failedFuture(new IllegalArgumentException("olderThan is required"));
    }
    return pool.preparedQuery(AuthSql.PURGE_ARCHIVES).execute(Tuple.of(utc(olderThan)))
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(storage("purge the old archives", null, ar.cause()));
          }
          for (Row row : ar.result()) {
            String org = row.getString(0);
            OrgMdc.run(org, () -> LOG.info("archive {} of org {} purged (older than {})",
                row.getLong(1), org, olderThan));
          }
          return Future.succeededFuture(ar.result().rowCount());
        });
  }

  @Override
  public Future<List<StoredSession>> list() {
    return pool.query(AuthSql.LIST).execute().transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(storage("list the stored sessions", null, ar.cause()));
      }
      List<StoredSession> sessions = new ArrayList<>(ar.result().size());
      for (Row row : ar.result()) {
        sessions.add(new StoredSession(row.getString(0),
            row.getOffsetDateTime(1).toInstant(), row.getBoolean(2)));
      }
      return Future.succeededFuture(sessions);
    });
  }

  @Override
  public Future<ImportReport> importBaileysFolder(String org, Path folder) {
    if (folder == null) {
      return Future.failedFuture(new IllegalArgumentException("no folder to import"));
    }
    return inOrder(org, "import the auth folder", () -> vertx
        .executeBlocking(() -> BaileysFolder.read(folder), false)
        .compose(files -> BaileysImport.into(pool, org, files, now())));
  }

  // --- ordering and errors ------------------------------------------------------------------

  /** Runs {@code work} after every earlier operation of the same org; database faults become STORAGE. */
  private <T> Future<T> inOrder(String org, String what, Supplier<Future<T>> work) {
    try {
      OrgId.require(org); // before it reaches a query
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return queue.run(org, () -> work.get().recover(e -> Future.failedFuture(
        e instanceof AuthStateException || e instanceof IllegalArgumentException ? e
            : storage(what, org, e))));
  }

  private static AuthStateException storage(String what, String org, Throwable e) {
    OrgMdc.run(org, () -> LOG.error("could not {}{}: {}", what,
        org == null ? "" : " of org " + org, e.toString()));
    return new AuthStateException(Kind.STORAGE, "could not " + what
        + (org == null ? "" : " of organization " + org)
        + " (PostgreSQL error; see the log)", e);
  }

  private static IllegalArgumentException badInput(RuntimeException e) {
    return e instanceof IllegalArgumentException iae ? iae
        : new IllegalArgumentException("missing " + e.getMessage());
  }

  private OffsetDateTime now() {
    return utc(clock.instant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
