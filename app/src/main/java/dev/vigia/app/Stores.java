package dev.vigia.app;

import dev.vigia.app.cluster.ClusterNode;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.dashboard.DashboardStores;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.dashboard.account.FileTokenStore;
import dev.vigia.gateway.session.FileSessionRecordStore;
import dev.vigia.gateway.session.PgSessionRecordStore;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.gateway.store.pg.FencedRecordStore;
import dev.vigia.gateway.store.pg.PgAuthStateStore;
import dev.vigia.monitor.MonitorStores;
import dev.vigia.monitor.journal.FileJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every store {@code VIGIA_STORE} chooses; the verticles get only their interfaces.
 *
 * <ul>
 *   <li>{@code file}: everything under the data dir (auth state with its write-ahead log and
 *       archive, session records, journal, daily stats, accounts, admin tokens); web logins, the login
 *       throttle, idempotency keys and alert cooldowns in memory (a restart forgets them).
 *   <li>{@code postgres}: all of it in PostgreSQL, through one pool. The data dir keeps what is
 *       this machine's: the lock, the Baileys engine's install ({@code engine/}) and the first
 *       admin's generated password; a data dir still holding the file store's data is refused.
 * </ul>
 */
public final class Stores {

  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  private final AuthStateStore authState;
  private final SessionRecordStore records;
  private final MonitorStores monitor;
  private final DashboardStores dashboard;
  private final Supplier<Future<Void>> opener;
  private final Supplier<Future<Void>> closer;
  private final PgDatabase database;

  private Stores(AuthStateStore authState, SessionRecordStore records, MonitorStores monitor,
      DashboardStores dashboard, Supplier<Future<Void>> opener, Supplier<Future<Void>> closer,
      PgDatabase database) {
    this.authState = authState;
    this.records = records;
    this.monitor = monitor;
    this.dashboard = dashboard;
    this.opener = opener;
    this.closer = closer;
    this.database = database;
  }

  /**
   * The server's stores, built at once; nothing is read or connected until {@link #open()}, which
   * with PostgreSQL also refuses a data dir that still holds the file store's data.
   */
  static Stores forServer(VigiaConfig config, Vertx vertx, Clock clock) {
    return create(config, vertx, clock, true, null);
  }

  /**
   * A cluster node's stores (PostgreSQL only): its runs open, and its session records are written,
   * only under the leases of {@code node}.
   */
  static Stores forClusterNode(VigiaConfig config, Vertx vertx, Clock clock, ClusterNode node) {
    return create(config, vertx, clock, true, node);
  }

  /** For subcommands ({@code import-baileys}, {@code user add}, the operations commands on a
   * stopped server): the same stores, no refusal. */
  public static Stores forTool(VigiaConfig config, Vertx vertx, Clock clock) {
    return create(config, vertx, clock, false, null);
  }

  private static Stores create(VigiaConfig config, Vertx vertx, Clock clock, boolean server,
      ClusterNode node) {
    Path data = config.dataPath();
    if (config.store().equals("postgres")) {
      PgDatabase database = PgDatabase.create(vertx, config.pgSettings(), config.pgPoolSize());
      Pool pool = database.pool();
      LeaseManager leases = node == null ? null : node.leases(vertx, pool);
      return new Stores(new PgAuthStateStore(vertx, pool, clock, leases),
          leases == null ? new PgSessionRecordStore(pool, clock)
              : new FencedRecordStore(pool, clock, leases), MonitorStores.postgres(pool),
          DashboardStores.postgres(pool, clock),
          () -> vertx.executeBlocking(() -> server ? refuseFileStore(data) : null, false)
              .compose(v -> database.open())
              .onSuccess(v -> LOG.info("every store in PostgreSQL {}; {} holds this machine's"
                  + " lock and engine install", database.settings().where(),
                  data.toAbsolutePath())), database::close, database);
    }
    FileAuthStateStore files = new FileAuthStateStore(vertx, data, clock);
    FileSessionRecordStore records = new FileSessionRecordStore(vertx, data);
    FileJournal journal = new FileJournal(vertx, data);
    return new Stores(files, records, MonitorStores.files(journal, data),
        DashboardStores.files(new FileAccountStore(vertx, data), new FileTokenStore(vertx, data),
            clock), files::open,
        () -> Future.join(records.close(), journal.close()).mapEmpty(), null);
  }

  /** Completes when every store can be used; fails with one line naming what is wrong. */
  public Future<Void> open() {
    return opener.get();
  }

  /**
   * A database must be open (migrated) before anything reads it; the file store's open is its
   * crash sweep, which its operations wait for, so the server can answer while it runs.
   */
  boolean openBeforeStart() {
    return database != null;
  }

  /**
   * Closes the database's pool; for the files, folds the session records' and the journal's
   * logs into their files (after Vert.x closed: the verticles write their last ones while they
   * stop; the auth-state store is flushed by Vert.x's close).
   */
  public Future<Void> close() {
    return closer.get();
  }

  public AuthStateStore authState() {
    return authState;
  }

  public SessionRecordStore records() {
    return records;
  }

  public MonitorStores monitor() {
    return monitor;
  }

  public DashboardStores dashboard() {
    return dashboard;
  }

  /**
   * Switching to PostgreSQL must not silently leave the file store's data behind (every session
   * would need a new QR, the accounts would start over): refused while the data dir holds any.
   */
  private static Void refuseFileStore(Path data) throws IOException {
    FileStoreContents contents = FileStoreContents.of(data);
    if (!contents.isEmpty()) {
      throw new IllegalStateException("VIGIA_STORE=postgres, but the data dir " + data
          + " holds the file store's data (" + contents.describe() + "): copy it into"
          + " PostgreSQL with `java -jar vigia.jar migrate-store --to <VIGIA_PG_URL>` (Vigía"
          + " stopped; it moves the copied folders aside); nothing was started");
    }
    return null;
  }
}
