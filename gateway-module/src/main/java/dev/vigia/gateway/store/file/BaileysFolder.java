package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Baileys' {@code useMultiFileAuthState} folder and key names, for every auth-state store (the
 * PostgreSQL store keeps keys under the same ids and imports the same folders): which key types
 * exist, which ids are safe, the id a file name stands for, and reading a whole folder with every
 * file checked first.
 *
 * <p>{@link #read(Path)} is the one check of an imported folder: the file store's import
 * ({@link BaileysFolderImport}) and the PostgreSQL store's both call it.
 */
public final class BaileysFolder {

  public static final String CREDS = KeyFileNames.CREDS;
  public static final List<String> KEY_TYPES = KeyFileNames.KNOWN_TYPES;

  private static final long MAX_BYTES = 512L * 1024 * 1024;
  private static final String[] REQUIRED_CREDS =
      {"noiseKey", "signedIdentityKey", "signedPreKey", "registrationId", "advSecretKey"};

  private BaileysFolder() {}

  /** One key of a folder: its type and the id its file name stands for. */
  public record Key(String type, String id) {}

  /** Throws {@link IllegalArgumentException} unless {@code type} is one of Baileys' key types. */
  public static String requireType(String type) {
    return KeyFileNames.requireType(type);
  }

  /**
   * The id under which the file store keeps {@code id} of {@code type}: what its file name
   * stands for ({@code fixFileName} maps ':' to '-', so "a:b" and "a-b" are one key there, as in
   * Baileys' own folders). Throws {@link IllegalArgumentException} for an unsafe or unknown key.
   */
  public static String storedId(String type, String id) {
    String name = KeyFileNames.fileName(type, id);
    return KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
  }

  /** The file of a key: {@code <type>-<escaped id>.json}. */
  public static String fileName(String type, String id) {
    return KeyFileNames.fileName(type, id);
  }

  /** The key a file of a checked folder holds, or null for {@code creds.json}. */
  public static Key keyOf(String fileName) {
    if (CREDS.equals(fileName)) {
      return null;
    }
    String type = KeyFileNames.knownTypeOf(fileName);
    if (type == null) {
      throw new IllegalArgumentException("not a Baileys key file");
    }
    return new Key(type, KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, fileName)));
  }

  /** True when {@code bytes} are one complete JSON value (Baileys never writes anything else). */
  public static boolean isJson(byte[] bytes) {
    return JsonText.isJson(bytes);
  }

  /**
   * Reads every file of a Baileys auth folder, file name to text, after checking all of them:
   * only plain files named as Baileys names them, each valid UTF-8 JSON, a complete
   * {@code creds.json}. Throws {@link AuthStateException} ({@link Kind#INVALID}) naming the first
   * bad file; nothing is returned unless everything is good. Blocking: call it on a worker.
   */
  public static Map<String, String> read(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw refused(printable(folder.toString()) + " is not a folder");
    }
    Map<String, String> files = new TreeMap<>();
    long total = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw refused("'" + printable(name) + "' is not a plain file; a Baileys auth folder"
              + " holds only creds.json and <type>-<id>.json files");
        }
        checkName(name);
        byte[] bytes = Files.readAllBytes(entry);
        total += bytes.length;
        if (total > MAX_BYTES) {
          throw refused("the folder holds more than " + (MAX_BYTES >> 20) + " MiB");
        }
        if (!isJson(bytes)) {
          throw refused(printable(name) + " is not valid JSON (corrupt or truncated)");
        }
        files.put(name, utf8(name, bytes));
      }
    }
    String creds = files.get(CREDS);
    if (creds == null) {
      throw refused("creds.json is missing: not a Baileys auth folder");
    }
    checkCreds(creds);
    return files;
  }

  private static String utf8(String name, byte[] bytes) {
    try {
      // strict: a stored value must read back byte for byte
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw refused(printable(name) + " is not UTF-8 text");
    }
  }

  private static void checkName(String name) {
    if (CREDS.equals(name)) {
      return;
    }
    String type = KeyFileNames.knownTypeOf(name);
    if (type == null) {
      throw refused("unexpected file '" + printable(name) + "'; a Baileys auth folder holds"
          + " creds.json and <type>-<id>.json files of the types " + KEY_TYPES);
    }
    String id = KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
    try {
      if (!KeyFileNames.fileName(type, id).equals(name)) {
        throw new IllegalArgumentException("not a name Baileys writes");
      }
    } catch (IllegalArgumentException e) {
      throw refused("unexpected file name '" + printable(name) + "' (" + e.getMessage() + ")");
    }
  }

  private static void checkCreds(String text) {
    JsonObject creds;
    try {
      creds = new JsonObject(Buffer.buffer(text));
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

  /** A name safe to put in a message or a log line. */
  public static String printable(String text) {
    return JsonText.printable(text);
  }
}
