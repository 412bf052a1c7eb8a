package dev.vigia.gateway.store.pg;

import dev.vigia.gateway.store.file.BaileysFolder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code keys.set} batch, checked and split for two statements: the keys to write and the
 * keys to delete, as parallel arrays (one {@code unnest} each, so 812 pre-keys are one statement,
 * not 812). Ids are the stored ids ({@link BaileysFolder#storedId}); when two ids of a batch name
 * one stored key, the later one wins, as it would on disk.
 */
final class KeyBatch {

  final String[] setTypes;
  final String[] setIds;
  final String[] setValues;
  final String[] deleteTypes;
  final String[] deleteIds;

  private KeyBatch(List<String[]> sets, List<String[]> deletes) {
    setTypes = column(sets, 0);
    setIds = column(sets, 1);
    setValues = column(sets, 2);
    deleteTypes = column(deletes, 0);
    deleteIds = column(deletes, 1);
  }

  /** Checks every type and id (not the values' JSON: {@link #requireJson()} does, on a worker). */
  static KeyBatch of(Map<String, Map<String, String>> batch) {
    Map<String, String[]> byKey = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> byType : Objects.requireNonNull(batch, "batch")
        .entrySet()) {
      String type = byType.getKey();
      for (Map.Entry<String, String> key : Objects.requireNonNull(byType.getValue(), "values")
          .entrySet()) {
        String id = BaileysFolder.storedId(type, key.getKey());
        byKey.remove(type + '\u0000' + id); // the later one wins, and keeps its place
        byKey.put(type + '\u0000' + id, new String[] {type, id, key.getValue()});
      }
    }
    List<String[]> sets = new ArrayList<>();
    List<String[]> deletes = new ArrayList<>();
    for (String[] key : byKey.values()) {
      (key[2] == null ? deletes : sets).add(key);
    }
    return new KeyBatch(sets, deletes);
  }

  /** Fails the whole batch, naming the first bad key, when a value is not one JSON value. */
  KeyBatch requireJson() {
    for (int i = 0; i < setValues.length; i++) {
      if (!BaileysFolder.isJson(setValues[i].getBytes(StandardCharsets.UTF_8))) {
        throw new IllegalArgumentException("the value of " + setTypes[i] + " key "
            + BaileysFolder.printable(setIds[i]) + " is not valid JSON; nothing was written");
      }
    }
    return this;
  }

  boolean hasSets() {
    return setIds.length > 0;
  }

  boolean hasDeletes() {
    return deleteIds.length > 0;
  }

  private static String[] column(List<String[]> rows, int column) {
    String[] out = new String[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[column];
    }
    return out;
  }
}
