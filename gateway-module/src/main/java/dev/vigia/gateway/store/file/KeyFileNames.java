package dev.vigia.gateway.store.file;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Baileys' {@code useMultiFileAuthState} file names: {@code creds.json} and
 * {@code <type>-<id>.json}, where the id is escaped by Baileys' {@code fixFileName}
 * ({@code /} → {@code __}, {@code :} → {@code -}). Every name built here is one plain file name
 * inside the org folder: nothing can climb out of it.
 */
final class KeyFileNames {

  static final String CREDS = "creds.json";
  static final String SUFFIX = ".json";

  /**
   * Baileys 7's {@code SignalDataTypeMap}: the only types stored. A free-form type could alias
   * another's files ("sender" + "key-1" is "sender-key" + "1"); a new Baileys type is added here.
   */
  static final List<String> KNOWN_TYPES = List.of("pre-key", "session", "sender-key",
      "sender-key-memory", "app-state-sync-key", "app-state-sync-version", "lid-mapping",
      "device-list", "tctoken", "identity-key");

  /** Most file systems allow 255 bytes per name. */
  private static final int MAX_NAME_BYTES = 255;

  private KeyFileNames() {}

  /** Returns the type, or throws {@link IllegalArgumentException} when it is not a Baileys type. */
  static String requireType(String type) {
    if (type == null || !KNOWN_TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown key type; known types: " + KNOWN_TYPES);
    }
    return type;
  }

  /** The file name Baileys uses for one key; throws {@link IllegalArgumentException} for an unsafe id. */
  static String fileName(String type, String id) {
    requireType(type);
    requireId(id);
    String name = type + "-" + escape(id) + SUFFIX;
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("invalid key id: too long");
    }
    if (!type.equals(knownTypeOf(name))) {
      // a sender-key id "memory-x" would be read back as a sender-key-memory key
      throw new IllegalArgumentException("invalid key id: its file would belong to another type");
    }
    return name;
  }

  /** Baileys' {@code fixFileName}. */
  static String escape(String id) {
    return id.replace("/", "__").replace(":", "-");
  }

  /**
   * The id a key file name stands for, as well as {@code fixFileName} can be undone: {@code __} →
   * {@code /} (base64 ids of app-state sync keys), and for sender keys {@code --} → {@code ::}
   * (their ids are {@code <group>::<user>::<device>}; a group id may hold a single '-'). Whatever
   * it returns escapes back to the same file name, so it names the same key.
   */
  static String unescape(String type, String escapedId) {
    String id = escapedId.replace("__", "/");
    return "sender-key".equals(type) ? id.replace("--", "::") : id;
  }

  /** True when {@code fileName} is a key of {@code type} (and not of a longer known type). */
  static boolean isKeyOf(String type, String fileName) {
    if (!fileName.startsWith(type + "-") || !fileName.endsWith(SUFFIX)
        || fileName.length() <= type.length() + 1 + SUFFIX.length()) {
      return false;
    }
    for (String known : KNOWN_TYPES) {
      // "sender-key-memory-x.json" also starts with "sender-key-": the longer type owns it
      if (known.length() > type.length() && known.startsWith(type + "-")
          && fileName.startsWith(known + "-")) {
        return false;
      }
    }
    return true;
  }

  /** The known type a file name belongs to (the longest that matches), or {@code null}. */
  static String knownTypeOf(String fileName) {
    String best = null;
    for (String known : KNOWN_TYPES) {
      if (isKeyOf(known, fileName) && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best;
  }

  /** The escaped id part of {@code <type>-<escapedId>.json}. */
  static String escapedIdOf(String type, String fileName) {
    return fileName.substring(type.length() + 1, fileName.length() - SUFFIX.length());
  }

  private static void requireId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("invalid key id: empty");
    }
    if (id.contains("..") || id.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("invalid key id: must not contain '..' or '\\'");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("invalid key id: control character");
      }
    }
  }
}
