package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Importing a Baileys {@code useMultiFileAuthState} folder: every file is read and checked first
 * by {@link BaileysFolder} (a bad one is refused by name; the PostgreSQL store checks the same way), then copied and synced into a staging folder inside
 * {@code auth_sessions/}, which one atomic rename turns into the org's folder. A crash before the
 * rename leaves only the staging folder, swept at the next start. Blocking.
 */
final class BaileysFolderImport {

  /** An import is copied here first, inside {@code auth_sessions/}; never read as a session. */
  static final String STAGING_PREFIX = ".import-";

  /** A checked folder, copied and synced into {@code staging}, not yet in place. */
  record Staged(String org, Path staging, Map<String, byte[]> files) {

    /** Moves the staging folder into place as the org's folder (which has no stored files). */
    ImportReport install(Path orgDir) throws IOException {
      try {
        if (Files.exists(orgDir, LinkOption.NOFOLLOW_LINKS)) {
          OrgFolders.deleteTree(orgDir); // an org folder without stored files (only temp leftovers)
        }
        AtomicFiles.move(staging, orgDir);
      } catch (IOException | RuntimeException e) {
        discard();
        throw e;
      }
      Map<String, Integer> byType = new TreeMap<>();
      for (String name : files.keySet()) {
        String type = KeyFileNames.CREDS.equals(name) ? "creds" : KeyFileNames.knownTypeOf(name);
        byType.merge(type, 1, Integer::sum);
      }
      return new ImportReport(org, files.size(), byType);
    }

    void discard() {
      OrgFolders.deleteQuietly(staging);
    }
  }

  private BaileysFolderImport() {}

  /** Reads and checks {@code folder}, then copies it into a new staging folder in {@code sessionsDir}. */
  static Staged stage(String org, Path folder, Path sessionsDir) throws IOException {
    Map<String, byte[]> files = read(folder);
    Path staging = sessionsDir.resolve(STAGING_PREFIX + org + "-" + UUID.randomUUID());
    try {
      copyInto(staging, files);
    } catch (IOException | RuntimeException e) {
      OrgFolders.deleteQuietly(staging);
      throw e;
    }
    return new Staged(org, staging, files);
  }

  /** Every file of the folder after {@link BaileysFolder#read} checked them all, as bytes. */
  private static Map<String, byte[]> read(Path folder) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    // strict UTF-8 text re-encodes to exactly the bytes that were read
    BaileysFolder.read(folder).forEach((name, text) ->
        files.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return files;
  }

  /** Writes every file into a new staging folder and makes it durable before it is renamed. */
  private static void copyInto(Path staging, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(staging);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      try (FileChannel ch = FileChannel.open(staging.resolve(file.getKey()),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(file.getValue());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
    }
    AtomicFiles.fsyncDirectory(staging);
  }
}
