package dev.vigia.gateway.store.file;

import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations that replace an org's whole folder: clear (to the archive), restore (from it)
 * and import. Each waits until the org's files hold every acknowledged value, then logs a reset,
 * then renames: a crash at any point leaves the folder whole, and a replayed log never writes the
 * org's older entries into the archived, restored or imported folder (a cleared session never
 * comes back). Called in the org's turn, so no write of the org runs meanwhile.
 */
final class FolderSwaps {

  private static final Logger LOG = LoggerFactory.getLogger(FolderSwaps.class);

  private final Path sessionsDir;
  private final AuthArchive archive;
  private final StoreWorkers workers;
  private final AuthLog log;
  private final FileApplier applier;
  private final UnsyncedFiles unsynced;

  FolderSwaps(Path sessionsDir, AuthArchive archive, StoreWorkers workers, AuthLog log,
      FileApplier applier, UnsyncedFiles unsynced) {
    this.sessionsDir = sessionsDir;
    this.archive = archive;
    this.workers = workers;
    this.log = log;
    this.applier = applier;
    this.unsynced = unsynced;
  }

  /** Archives the org's folder; where it went, or null when there was nothing to clear. */
  Future<String> clear(String org, Path dir, String reason, String actor) {
    return applier.applied(org)
        .compose(v -> workers.call(() -> {
          if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
          }
          unsynced.makeOrgDurable(org); // the archive gets synced files: the log will not
          return true;
        }))
        .compose(exists -> !exists ? Future.<String>succeededFuture(null)
            : log.append(LogRecord.reset(org), false).compose(v -> workers.call(() -> {
              if (OrgFolders.storedFiles(dir).isEmpty()) {
                OrgFolders.deleteTree(dir);
                return null;
              }
              String where = archive.archive(org, dir, reason, actor);
              OrgMdc.run(org, () -> LOG.info("auth state of org {} archived to {} ({}, by {})",
                  org, where, JsonText.printable(reason), JsonText.printable(actor)));
              return where;
            })));
  }

  /**
   * Renames archive {@code id} back as the org's folder, which must hold no state; the reset
   * logged first keeps a replayed log from writing the org's earlier entries into it.
   */
  Future<ArchivedState> restore(String org, Path dir, String id) {
    return applier.applied(org)
        .compose(v -> workers.call(() -> {
          archive.folder(org, id); // 400 or 404 before anything is logged
          requireNoState(org, dir, "restoring an archive never replaces it; clear it first (it"
              + " is archived too), then restore; nothing was restored");
          unsynced.makeOrgDurable(org);
          return null;
        }))
        .compose(v -> log.append(LogRecord.reset(org), false))
        .compose(v -> workers.call(() -> {
          OrgFolders.deleteTree(dir); // nothing but temps of unfinished writes, if anything
          ArchivedState restored = archive.restore(org, id, dir);
          OrgMdc.run(org, () -> LOG.info("auth state of org {} restored from archive {}", org, id));
          return restored;
        }));
  }

  private static void requireNoState(String org, Path dir, String what) throws IOException {
    if (!OrgFolders.storedFiles(dir).isEmpty()) {
      throw new AuthStateException(Kind.CONFLICT, "organization " + org + " already has auth"
          + " state; " + what);
    }
  }

  /** Imports a Baileys folder as the org's folder, which must hold no state. */
  Future<ImportReport> importFolder(String org, Path dir, Path folder) {
    return applier.applied(org)
        .compose(v -> workers.call(() -> {
          requireNoState(org, dir, "clear it before importing; nothing was imported");
          return BaileysFolderImport.stage(org, folder, sessionsDir);
        }))
        .compose(staged -> log.append(LogRecord.reset(org), false)
            .onFailure(e -> staged.discard())
            .compose(v -> workers.call(() -> {
              ImportReport report = staged.install(dir);
              OrgMdc.run(org, () -> LOG.info("imported {} files into the auth state of org {}: {}",
                  report.files(), org, report.byType()));
              return report;
            })));
  }
}
