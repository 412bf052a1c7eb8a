package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, before anything writes: removes what a crash may have left in {@code auth_sessions/}
 * (staging folders of unfinished imports, temp files of unfinished writes), and makes the folders
 * that hold credentials owner-only. Blocking.
 */
final class CrashSweep {

  private static final Logger LOG = LoggerFactory.getLogger(CrashSweep.class);

  private CrashSweep() {}

  static void run(Path sessionsDir, List<Path> ownerOnly) throws IOException {
    for (Path dir : ownerOnly) {
      OrgFolders.ownerOnly(Files.createDirectories(dir));
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(sessionsDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        try {
          if (name.startsWith(BaileysFolderImport.STAGING_PREFIX)) {
            OrgFolders.deleteTree(entry);
            LOG.warn("removed the unfinished import {} (the process stopped during an import)",
                JsonText.printable(name));
          } else if (AtomicFiles.isTemp(entry)) {
            Files.deleteIfExists(entry);
          } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.sweepTemps(entry);
          }
        } catch (IOException e) {
          LOG.warn("could not sweep {}: {}", entry, e.toString());
        }
      }
    }
  }
}
