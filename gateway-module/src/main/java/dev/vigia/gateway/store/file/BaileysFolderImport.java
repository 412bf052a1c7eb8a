package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Importing a Baileys {@code useMultiFileAuthState} folder: every file is read and checked first
 * (a bad one is refused by name), then copied and synced into a staging folder inside
 * {@code auth_sessions/}, which one atomic rename turns into the org's folder. A crash before the
 * rename leaves only the staging folder, swept at the next start. Blocking.
 */
final class BaileysFolderImport {

  /** An import is copied here first, inside {@code auth_sessions/}; never read as a session. */
  static final String STAGING_PREFIX = ".import-";

  private static final long MAX_IMPORT_BYTES = 512L * 1024 * 1024;
  private static final String[] REQUIRED_CREDS =
      {"noiseKey", "signedIdentityKey", "signedPreKey", "registrationId", "advSecretKey"};

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

  /** Reads and checks every file of a Baileys folder; throws naming the first bad file. */
  private static Map<String, byte[]> read(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw refused(JsonText.printable(folder.toString()) + " is not a folder");
    }
    Map<String, byte[]> files = new TreeMap<>();
    long total = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw refused("'" + JsonText.printable(name) + "' is not a plain file; a Baileys auth"
              + " folder holds only creds.json and <type>-<id>.json files");
        }
        checkName(name);
        byte[] bytes = Files.readAllBytes(entry);
        total += bytes.length;
        if (total > MAX_IMPORT_BYTES) {
          throw refused("the folder holds more than " + (MAX_IMPORT_BYTES >> 20) + " MiB");
        }
        if (!JsonText.isJson(bytes)) {
          throw refused(JsonText.printable(name) + " is not valid JSON (corrupt or truncated)");
        }
        files.put(name, bytes);
      }
    }
    byte[] creds = files.get(KeyFileNames.CREDS);
    if (creds == null) {
      throw refused("creds.json is missing: not a Baileys auth folder");
    }
    checkCreds(creds);
    return files;
  }

  private static void checkName(String name) {
    if (KeyFileNames.CREDS.equals(name)) {
      return;
    }
    String type = KeyFileNames.knownTypeOf(name);
    if (type == null) {
      throw refused("unexpected file '" + JsonText.printable(name) + "'; a Baileys auth folder"
          + " holds creds.json and <type>-<id>.json files of the types "
          + KeyFileNames.KNOWN_TYPES);
    }
    String id = KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
    try {
      if (!KeyFileNames.fileName(type, id).equals(name)) {
        throw new IllegalArgumentException("not a name Baileys writes");
      }
    } catch (IllegalArgumentException e) {
      throw refused("unexpected file name '" + JsonText.printable(name) + "' (" + e.getMessage()
          + ")");
    }
  }

  private static void checkCreds(byte[] bytes) {
    JsonObject creds;
    try {
      creds = new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw refused("creds.json is not a JSON object");
    }
    List<String> missing = new ArrayList<>();
    for (String field : REQUIRED_CREDS) {
      if (creds.getValue(field) == null) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw refused("creds.json lacks " + String.join(", ", missing));
    }
    if (!(creds.getValue("noiseKey") instanceof JsonObject)
        || !(creds.getValue("signedIdentityKey") instanceof JsonObject)
        || !(creds.getValue("registrationId") instanceof Number)
        || !(creds.getValue("advSecretKey") instanceof String)) {
      throw refused("creds.json has noiseKey, signedIdentityKey, registrationId or advSecretKey"
          + " of the wrong kind");
    }
  }

  private static AuthStateException refused(String why) {
    return new AuthStateException(Kind.INVALID, "import refused: " + why + "; nothing was imported");
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
