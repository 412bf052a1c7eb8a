package dev.vigia.app;

import dev.vigia.common.OrgId;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgDatabase;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.gateway.store.pg.PgAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores {@code VIGIA_STORE} chooses; the verticles get only their interfaces. With
 * {@code postgres}, the auth state (and its archive) lives in PostgreSQL; the session records,
 * journal, stats and accounts stay in the data dir until their PostgreSQL stores are built.
 */
public final class Stores {

  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  private final AuthStateStore authState;
  private final Supplier<Future<Void>> opener;
  private final boolean database;

  private Stores(AuthStateStore authState, Supplier<Future<Void>> opener, boolean database) {
    this.authState = authState;
    this.opener = opener;
    this.database = database;
  }

  /**
   * The server's stores, built at once; nothing is read or connected until {@link #open()}, which
   * with PostgreSQL also refuses a data dir that still holds the file store's auth state.
   */
  static Stores forServer(VigiaConfig config, Vertx vertx, Clock clock) {
    return create(config, vertx, clock, true);
  }

  /** For subcommands such as {@code import-baileys}, which read the file store's folders. */
  public static Stores forTool(VigiaConfig config, Vertx vertx, Clock clock) {
    return create(config, vertx, clock, false);
  }

  private static Stores create(VigiaConfig config, Vertx vertx, Clock clock, boolean server) {
    if (config.store().equals("postgres")) {
      PgDatabase database = PgDatabase.create(vertx, config.pgSettings(), config.pgPoolSize());
      Path data = config.dataPath();
      return new Stores(new PgAuthStateStore(vertx, database.pool(), clock), () -> vertx
          .executeBlocking(() -> server ? refuseFileAuthState(data) : null, false)
          .compose(v -> database.open())
          .onSuccess(v -> LOG.info("auth state in PostgreSQL {}; session records, journal, stats"
              + " and accounts in {}", database.settings().where(), data.toAbsolutePath())), true);
    }
    FileAuthStateStore files = new FileAuthStateStore(vertx, config.dataPath(), clock);
    return new Stores(files, files::open, false);
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
    return database;
  }

  public AuthStateStore authState() {
    return authState;
  }

  /**
   * Switching to PostgreSQL must not silently leave the file store's sessions behind (they would
   * all need a new QR): refused while {@code auth_sessions/} holds any.
   */
  private static Void refuseFileAuthState(Path data) throws IOException {
    Path sessions = data.resolve(FileAuthStateStore.SESSIONS_DIR);
    List<String> orgs = new ArrayList<>();
    if (Files.isDirectory(sessions, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sessions)) {
        for (Path dir : dirs) {
          String org = dir.getFileName().toString();
          if (OrgId.isValid(org) && holdsFiles(dir)) {
            orgs.add(org);
          }
        }
      }
    }
    if (!orgs.isEmpty()) {
      orgs.sort(null);
      throw new IllegalStateException("VIGIA_STORE=postgres, but " + sessions + " holds the file"
          + " store's auth state of org(s) " + String.join(", ", orgs) + ": import each into"
          + " PostgreSQL (VIGIA_STORE=postgres ... import-baileys " + sessions
          + "/<org> --org <org>), then move " + sessions + " away; nothing was started");
    }
    return null;
  }

  private static boolean holdsFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> !AtomicFiles.isTemp(f) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS));
    }
  }
}
