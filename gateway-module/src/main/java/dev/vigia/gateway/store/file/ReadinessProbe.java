package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Readiness: writes, reads back and deletes a probe where sessions live. Blocking. */
final class ReadinessProbe {

  private static final Logger LOG = LoggerFactory.getLogger(ReadinessProbe.class);

  private ReadinessProbe() {}

  static void run(Path sessionsDir) {
    byte[] written = ("ready " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Path probe = sessionsDir.resolve(".ready-probe-" + UUID.randomUUID());
    try {
      Files.write(probe, written, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (!Arrays.equals(written, Files.readAllBytes(probe))) {
        throw new IOException("the probe read back differs from what was written");
      }
    } catch (IOException e) {
      throw new AuthStateException(Kind.STORAGE, "cannot write in " + sessionsDir + ": "
          + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        LOG.warn("the readiness probe {} could not be deleted: {}", probe, e.toString());
      }
    }
  }
}
