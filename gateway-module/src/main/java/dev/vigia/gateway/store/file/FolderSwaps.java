package dev.vigia.gateway.store.file;

import dev.vigia.common.logging.OrgMdc;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two operations that replace an org's whole folder: clear (to the archive) and import. Each
 * waits until the org's files hold every acknowledged value, then logs a reset, then renames: a
 * crash at any point leaves the folder whole, and a replayed log never writes the org's older
 * entries into the archived or the imported folder (a cleared session never comes back). Called
 * in the org's turn, so no write of the org runs meanwhile.
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
  Future<String> clear(String org, Path dir, String reason) {
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
              String where = archive.archive(org, dir);
              OrgMdc.run(org, () -> LOG.info("auth state of org {} archived to {} ({})", org,
                  where, JsonText.printable(reason)));
              return where;
            })));
  }

  /** Imports a Baileys folder as the org's folder, which must hold no state. */
  Future<ImportReport> importFolder(String org, Path dir, Path folder) {
    return applier.applied(org)
        .compose(v -> workers.call(() -> {
          if (!OrgFolders.storedFiles(dir).isEmpty()) {
            throw new AuthStateException(Kind.CONFLICT, "organization " + org
                + " already has auth state; clear it before importing; nothing was imported");
          }
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
