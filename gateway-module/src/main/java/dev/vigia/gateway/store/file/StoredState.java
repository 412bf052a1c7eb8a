package dev.vigia.gateway.store.file;

import dev.vigia.common.OrgId;
import dev.vigia.gateway.store.AuthStateStore.StoredSession;
import dev.vigia.gateway.store.file.FileApplier.Slot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An org's stored state as a reader must see it: its files, overlaid with the acknowledged values
 * not yet in them ({@link FileApplier#waiting}). Take the waiting values before reading the
 * folder: a value that leaves them has reached its file first. Blocking.
 */
final class StoredState {

  private StoredState() {}

  /** The values of {@code files} (id to file name), as Baileys reads them; absent ids are left out. */
  static Map<String, String> values(Path dir, Map<String, String> files, Map<String, Slot> waiting)
      throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> file : files.entrySet()) {
      Slot slot = waiting.get(file.getValue());
      if (slot != null) {
        if (slot.value() != null) {
          values.put(file.getKey(), new String(slot.value(), StandardCharsets.UTF_8));
        }
        continue;
      }
      try {
        values.put(file.getKey(), Files.readString(dir.resolve(file.getValue())));
      } catch (NoSuchFileException absent) {
        // no value: absent from the answer, as in Baileys
      }
    }
    return values;
  }

  /** Ids of {@code type} starting with {@code prefix}, sorted. */
  static List<String> keyIds(Path dir, Map<String, Slot> waiting, String type, String prefix)
      throws IOException {
    TreeSet<String> ids = new TreeSet<>();
    for (String name : names(dir, waiting).keySet()) {
      if (KeyFileNames.isKeyOf(type, name)) {
        String id = KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
        if (id.startsWith(prefix)) {
          ids.add(id);
        }
      }
    }
    return List.copyOf(ids);
  }

  /** Every org with stored state but those in {@code skip} (not read), sorted by org. */
  static List<StoredSession> sessions(Path sessionsDir, Map<String, Map<String, Slot>> waiting,
      Set<String> skip) throws IOException {
    Set<String> orgs = new HashSet<>(waiting.keySet());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(sessionsDir)) {
      for (Path dir : entries) {
        String org = dir.getFileName().toString();
        if (!skip.contains(org) && OrgId.isValid(org)
            && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          orgs.add(org);
        }
      }
    } catch (NoSuchFileException e) {
      // no session was ever stored
    }
    orgs.removeAll(skip);
    List<StoredSession> sessions = new ArrayList<>();
    for (String org : new TreeSet<>(orgs)) {
      Map<String, Instant> names = names(sessionsDir.resolve(org), waiting.getOrDefault(org, Map.of()));
      names.values().stream().max(Instant::compareTo).ifPresent(last ->
          sessions.add(new StoredSession(org, last, names.containsKey(KeyFileNames.CREDS))));
    }
    return sessions;
  }

  /** The org's stored file names with their last write: files, minus waiting deletes, plus waiting writes. */
  private static Map<String, Instant> names(Path dir, Map<String, Slot> waiting) throws IOException {
    Map<String, Instant> names = new HashMap<>();
    for (Path file : OrgFolders.storedFiles(dir)) {
      try {
        names.put(file.getFileName().toString(), Files.getLastModifiedTime(file).toInstant());
      } catch (NoSuchFileException gone) {
        // deleted while we looked
      }
    }
    waiting.forEach((name, slot) -> {
      if (slot.value() == null) {
        names.remove(name);
      } else {
        names.put(name, Instant.ofEpochMilli(slot.writtenAtMillis()));
      }
    });
    return names;
  }
}
