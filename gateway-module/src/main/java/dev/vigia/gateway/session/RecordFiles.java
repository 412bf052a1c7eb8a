package dev.vigia.gateway.session;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files of {@code sessions/}: one {@code <org>.json} per record. Blocking. */
final class RecordFiles {

  private static final String SUFFIX = ".json";
  private static final Logger LOG = LoggerFactory.getLogger(FileSessionRecordStore.class);

  private RecordFiles() {}

  static Path fileOf(Path dir, String org) {
    return dir.resolve(org + SUFFIX);
  }

  /** The record files of {@code dir} (no temp files, no names that are not an org id). */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(file -> orgOf(file) != null).toList();
    }
  }

  /** The records of {@code files}, by org; unreadable ones are skipped (and logged). */
  static Map<String, SessionRecord> read(List<Path> files) {
    Map<String, SessionRecord> records = new HashMap<>();
    for (Path file : files) {
      String org = orgOf(file);
      byte[] json;
      try {
        json = Files.readAllBytes(file);
      } catch (IOException e) {
        LOG.warn("skipping unreadable session record {}: {}", file, e.toString());
        continue;
      }
      SessionRecord record = parse(org, file.toString(), json);
      if (record != null) {
        records.put(org, record);
      }
    }
    return records;
  }

  /** The org's record from {@code json}, or null (logged) when it is not one. */
  static SessionRecord parse(String org, String where, byte[] json) {
    try {
      SessionRecord record = Json.mapper().readValue(json, SessionRecord.class);
      return org.equals(record.org()) ? record : null;
    } catch (IOException e) {
      // one unreadable record must not keep the other orgs from starting
      LOG.warn("skipping unreadable session record of {} in {}: {}", org, where, e.getMessage());
      return null;
    }
  }

  /** {@code all} in {@code slices} parts (fewer when it is short), for that many threads. */
  static <T> List<List<T>> slices(List<T> all, int slices) {
    List<List<T>> parts = new ArrayList<>();
    int size = Math.max(1, (all.size() + slices - 1) / slices);
    for (int i = 0; i < all.size(); i += size) {
      parts.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return parts;
  }

  private static String orgOf(Path file) {
    String name = file.getFileName().toString();
    if (AtomicFiles.isTemp(file) || !name.endsWith(SUFFIX)) {
      return null;
    }
    String org = name.substring(0, name.length() - SUFFIX.length());
    return OrgId.isValid(org) ? org : null;
  }
}
