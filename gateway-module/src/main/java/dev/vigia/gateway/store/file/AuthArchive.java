package dev.vigia.gateway.store.file;

import dev.vigia.common.OrgId;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleared auth states: {@code archive/<org>/<UTC time>/}, each a whole org folder moved there in
 * one rename; purged after {@code archiveDays}. Blocking.
 */
final class AuthArchive {

  static final String DIR = "archive";
  private static final Logger LOG = LoggerFactory.getLogger(AuthArchive.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final Path archiveDir;
  private final Clock clock;

  AuthArchive(Path dataDir, Clock clock) {
    this.dataDir = dataDir;
    this.archiveDir = dataDir.resolve(DIR);
    this.clock = clock;
  }

  Path dir() {
    return archiveDir;
  }

  /** Moves {@code orgDir} to a new archive folder; returns it relative to the data dir. */
  String archive(String org, Path orgDir) throws IOException {
    String time = TIME.format(clock.instant());
    Path target = archiveDir.resolve(org).resolve(time);
    for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
      target = archiveDir.resolve(org).resolve(time + "-" + n); // never over an earlier archive
    }
    AtomicFiles.move(orgDir, target);
    return dataDir.relativize(target).toString().replace('\\', '/');
  }

  /** Deletes the archives made before {@code olderThan}; returns how many went. */
  int purge(Instant olderThan) throws IOException {
    int purged = 0;
    if (!Files.isDirectory(archiveDir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (DirectoryStream<Path> orgs = Files.newDirectoryStream(archiveDir)) {
      for (Path orgDir : orgs) {
        String org = orgDir.getFileName().toString();
        if (!OrgId.isValid(org) || !Files.isDirectory(orgDir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> times = Files.newDirectoryStream(orgDir)) {
          for (Path archived : times) {
            Instant at = archivedAt(archived.getFileName().toString());
            if (at != null && at.isBefore(olderThan)
                && Files.isDirectory(archived, LinkOption.NOFOLLOW_LINKS)) {
              OrgFolders.deleteTree(archived);
              purged++;
              OrgMdc.run(org, () -> LOG.info("archive {} of org {} purged (older than {})",
                  archived.getFileName(), org, olderThan));
            }
          }
        }
      }
    }
    return purged;
  }

  /** The time in an archive folder's name ({@code 2026-11-28T08-45-00.000Z[-n]}), or null. */
  private static Instant archivedAt(String name) {
    String time = name.length() > 24 ? name.substring(0, 24) : name;
    try {
      return TIME.parse(time, Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
