package dev.vigia.gateway.store.file;

import dev.vigia.common.ArchiveId;
import dev.vigia.common.OrgId;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.CallerContext;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import dev.vigia.gateway.store.RunWriter;
import dev.vigia.gateway.store.file.FileApplier.Slot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth-state store on local disk (DESIGN §6), in Baileys' own {@code useMultiFileAuthState}
 * layout so that an old {@code auth_sessions/<org>/} folder imports unchanged:
 * <pre>
 * &lt;dataDir&gt;/auth_sessions/&lt;org&gt;/creds.json
 * &lt;dataDir&gt;/auth_sessions/&lt;org&gt;/&lt;type&gt;-&lt;escaped id&gt;.json   value exactly as Baileys writes it
 * &lt;dataDir&gt;/archive/&lt;org&gt;/&lt;UTC time&gt;/                 a cleared org folder, moved whole
 * &lt;dataDir&gt;/archive/&lt;org&gt;/&lt;UTC time&gt;.json             why it was cleared, and who asked
 * &lt;dataDir&gt;/auth_log/&lt;n&gt;.log                                the write-ahead log ({@link AuthLog})
 * </pre>
 * A write is acknowledged once it is in the fsynced log: a batch is then durable and whole, and
 * its files follow in the background ({@link FileApplier}), rebuilt from the log after a crash.
 * Clear, restore and import are one folder rename each, after a reset entry in the log, so a
 * cleared session never comes back by itself. Operations of one org run in the order they were
 * called ({@link KeyedQueue}); every result arrives on the caller's context. Blocking work runs on the
 * store's own workers ({@code vigia-store}), not on the pool that hashes passwords. One process
 * per data dir (the caller holds {@link dev.vigia.common.storage.DataDirLock}).
 *
 * <p>Nothing starts in the constructor: {@link #open()} (or the first operation) sweeps what a
 * crash left ({@link CrashSweep}) and replays the log.
 */
public final class FileAuthStateStore implements AuthStateStore {

  public static final String SESSIONS_DIR = "auth_sessions";
  public static final String ARCHIVE_DIR = AuthArchive.DIR;
  /** Workers of the store: log flushes, file lanes, syncs and reads overlap on them. */
  static final int WORKERS = 12;

  private static final Logger LOG = LoggerFactory.getLogger(FileAuthStateStore.class);

  private final Vertx vertx;
  private final Path dataDir;
  private final Path sessionsDir;
  private final AuthArchive archive;
  private final StoreWorkers workers;
  private final FileApplier applier;
  private final AuthLog log;
  private final Checkpoints checkpoints;
  private final FolderSwaps swaps;
  private final KeyedQueue queue = new KeyedQueue();
  /** The writer of each org's current session run, and the org's last epoch. */
  private final ConcurrentMap<String, RunWriter> writers = new ConcurrentHashMap<>();
  private final StoreLifecycle lifecycle;

  public FileAuthStateStore(Vertx vertx, Path dataDir, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.sessionsDir = this.dataDir.resolve(SESSIONS_DIR);
    this.archive = new AuthArchive(this.dataDir, Objects.requireNonNull(clock, "clock"));
    this.workers = new StoreWorkers("vigia-store", WORKERS);
    UnsyncedFiles unsynced = new UnsyncedFiles(workers, sessionsDir);
    this.applier = new FileApplier(workers, sessionsDir, unsynced);
    Checkpoints[] later = new Checkpoints[1];
    this.log = new AuthLog(this.dataDir, workers, (record, segment) -> {
      applier.accept(record, segment);
      later[0].later();
    }, () -> later[0].segmentFull());
    this.checkpoints = later[0] = new Checkpoints(workers, log, applier, unsynced);
    this.swaps = new FolderSwaps(sessionsDir, archive, workers, log, applier, unsynced);
    this.lifecycle = new StoreLifecycle(vertx, this.dataDir, workers, log, applier, checkpoints,
        List.of(sessionsDir, archive.dir(), log.dir()));
  }

  /**
   * Sweeps what a crash left and replays the log (once; later calls share the outcome). Fails
   * when the data dir is unusable. The outcome arrives on the caller's context.
   */
  public Future<Void> open() {
    return CallerContext.deliver(lifecycle.open());
  }

  /** Syncs every acknowledged write into its file and retires the log written so far. */
  @Override
  public Future<Void> flush() {
    return CallerContext.deliver(afterOpen(checkpoints::now));
  }

  /** Flushes, then stops: later operations fail. Closing Vert.x does the same. */
  public Future<Void> close() {
    return CallerContext.deliver(lifecycle.close());
  }

  @Override
  public Future<Void> probe() {
    return CallerContext.deliver(afterOpen(() -> blocking(() -> {
      Throwable broken = log.broken() != null ? log.broken()
          : applier.failure() != null ? applier.failure() : checkpoints.failure();
      if (broken != null) {
        throw new AuthStateException(Kind.STORAGE, "auth-state writes are failing: "
            + broken.getMessage());
      }
      ReadinessProbe.run(sessionsDir);
      return null;
    })));
  }

  @Override
  public Future<JsonObject> readCreds(String org) {
    return inOrg(org, "read the credentials", dir -> {
      Slot waiting = applier.lookup(org, List.of(KeyFileNames.CREDS)).get(KeyFileNames.CREDS);
      if (waiting != null) {
        return Future.succeededFuture(parseCreds(org, waiting.value()));
      }
      return blocking(() -> {
        try {
          return parseCreds(org, Files.readAllBytes(dir.resolve(KeyFileNames.CREDS)));
        } catch (NoSuchFileException e) {
          return null;
        }
      });
    });
  }

  @Override
  public Future<Void> writeCreds(String org, JsonObject creds) {
    return writeCreds(org, creds, null);
  }

  private Future<Void> writeCreds(String org, JsonObject creds, RunWriter writer) {
    if (creds == null) {
      return Future.failedFuture(new IllegalArgumentException("creds must not be null"));
    }
    Map<String, byte[]> file = Map.of(KeyFileNames.CREDS,
        creds.encode().getBytes(StandardCharsets.UTF_8));
    return inOrg(org, "write the credentials", dir -> logged(org, file, writer, false));
  }

  @Override
  public Future<AuthStateWriter> openWriter(String org) {
    try {
      OrgId.require(org);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    RunWriter opened = writers.compute(org, (k, previous) -> {
      if (previous != null) {
        previous.revoke();
      }
      return new RunWriter(org, previous == null ? 1 : previous.epoch() + 1, this::writeCreds,
          this::setKeys);
    });
    return Future.succeededFuture(opened);
  }

  @Override
  public Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids) {
    Map<String, String> files = new LinkedHashMap<>();
    try {
      OrgId.require(org);
      for (String id : Objects.requireNonNull(ids, "ids")) {
        files.put(id, KeyFileNames.fileName(type, id));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    return inOrg(org, "read keys", dir -> {
      // the waiting values first: one that is gone from here is already in its file
      Map<String, Slot> waiting = applier.lookup(org, List.copyOf(files.values()));
      return blocking(() -> StoredState.values(dir, files, waiting));
    });
  }

  @Override
  public Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    return setKeys(org, batch, null);
  }

  private Future<Void> setKeys(String org, Map<String, Map<String, String>> batch,
      RunWriter writer) {
    // names checked and values copied up front; their JSON is checked by the log's worker
    Map<String, byte[]> writes = new LinkedHashMap<>();
    try {
      OrgId.require(org);
      for (var byType : Objects.requireNonNull(batch, "batch").entrySet()) {
        for (var key : Objects.requireNonNull(byType.getValue(), "values").entrySet()) {
          String value = key.getValue();
          writes.put(KeyFileNames.fileName(byType.getKey(), key.getKey()),
              value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    return inOrg(org, "write keys", dir -> logged(org, writes, writer, true));
  }

  /** Logs a write once there is room; the writer is checked here, in the org's turn. */
  private Future<Void> logged(String org, Map<String, byte[]> files, RunWriter writer,
      boolean checkJson) {
    return applier.room().compose(v -> {
      if (writer != null) {
        writer.check();
      }
      return log.append(LogRecord.writes(org, files), checkJson);
    });
  }

  @Override
  public Future<List<String>> keyIds(String org, String type, String idPrefix) {
    try {
      KeyFileNames.requireType(type);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String prefix = idPrefix == null ? "" : idPrefix;
    return inOrg(org, "list keys", dir -> {
      Map<String, Slot> waiting = applier.waiting(org);
      return blocking(() -> StoredState.keyIds(dir, waiting, type, prefix));
    });
  }

  @Override
  public Future<String> clear(String org, String reason, String actor) {
    revokeWriter(org);
    return inOrg(org, "clear the auth state", dir -> swaps.clear(org, dir, reason, actor));
  }

  @Override
  public Future<List<ArchivedState>> archives(String org) {
    return inOrg(org, "list the archives", dir -> blocking(() -> archive.list(org)));
  }

  @Override
  public Future<ArchivedState> restore(String org, String archiveId) {
    try {
      OrgId.require(org);
      ArchiveId.require(archiveId); // the archive checks its own form before any path is built
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // the run that wrote the state before its clear can never write into the restored one
    revokeWriter(org);
    return inOrg(org, "restore the archive", dir -> swaps.restore(org, dir, archiveId));
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
    return CallerContext.deliver(afterOpen(() -> blocking(() -> {
      try {
        return archive.purge(olderThan);
      } catch (IOException e) {
        throw storageFailure("purge the old archives", "all", e);
      }
    })));
  }

  @Override
  public Future<List<StoredSession>> list() {
    return listExcept(Set.of());
  }

  @Override
  public Future<List<StoredSession>> listExcept(Set<String> known) {
    Set<String> skip = Set.copyOf(known); // read on a store thread
    return CallerContext.deliver(afterOpen(() -> {
      Map<String, Map<String, Slot>> waiting = applier.waiting();
      return blocking(() -> {
        try {
          return StoredState.sessions(sessionsDir, waiting, skip);
        } catch (IOException e) {
          throw storageFailure("list the stored sessions", "all", e);
        }
      });
    }));
  }

  @Override
  public Future<ImportReport> importBaileysFolder(String org, Path folder) {
    if (folder == null) {
      return Future.failedFuture(new IllegalArgumentException("no folder to import"));
    }
    return inOrg(org, "import the auth folder", dir -> swaps.importFolder(org, dir, folder));
  }

  // ---- ordering, context and errors --------------------------------------------------------

  private interface OrgWork<T> {
    Future<T> run(Path orgDir);
  }

  /** Runs {@code work} after every earlier operation of the same org; result on the caller's context. */
  private <T> Future<T> inOrg(String org, String what, OrgWork<T> work) {
    try {
      OrgId.require(org); // before any path is built from it
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Path dir = sessionsDir.resolve(org);
    return queue.run(org, () -> afterOpen(() -> work.run(dir)).recover(e -> {
      if (e instanceof IOException io) {
        return Future.failedFuture(storageFailure(what, org, io));
      }
      return Future.failedFuture(e);
    }));
  }

  private <T> Future<T> afterOpen(Supplier<Future<T>> work) {
    Future<Void> ready = lifecycle.open();
    return ready.succeeded() ? work.get() : ready.compose(v -> work.get());
  }

  /** On the store's workers; {@link #inOrg} or {@link CallerContext} brings the result back. */
  private <T> Future<T> blocking(Callable<T> work) {
    return workers.call(work);
  }

  private static JsonObject parseCreds(String org, byte[] bytes) {
    try {
      return new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw new AuthStateException(Kind.STORAGE,
          "creds.json of organization " + org + " is not a JSON object");
    }
  }

  private static AuthStateException storageFailure(String what, String org, IOException e) {
    // "all" is an operation over every org, not one org
    OrgMdc.run("all".equals(org) ? null : org,
        () -> LOG.error("could not {} of org {}", what, org, e));
    return new AuthStateException(Kind.STORAGE,
        "could not " + what + " of organization " + org + " (storage error; see the log)", e);
  }

  private static IllegalArgumentException badInput(RuntimeException e) {
    return e instanceof IllegalArgumentException iae ? iae
        : new IllegalArgumentException("missing " + e.getMessage());
  }
}
