package dev.vigia.app;

import dev.vigia.dashboard.account.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir holds WhatsApp credentials and password hashes: one Vigía creates is its owner's
 * only (0700). One that exists is left as it is (it may be a folder a person chose on purpose),
 * with one warning line when other local users may read it.
 */
final class DataDir {

  private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);

  private DataDir() {}

  static void prepare(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      OwnerOnly.folder(dir);
      return;
    }
    if (OwnerOnly.supported() && Files.isDirectory(dir)) {
      var now = Files.getPosixFilePermissions(dir);
      if (!OwnerOnly.FOLDER.containsAll(now)) {
        LOG.warn("the data dir {} is open to other local users ({}) and holds WhatsApp"
            + " credentials: run chmod 700 {}", dir.toAbsolutePath(),
            PosixFilePermissions.toString(now), dir.toAbsolutePath());
      }
    }
  }
}
