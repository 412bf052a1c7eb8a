package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The key files written by {@link FileApplier} and not yet synced, each with the newest log
 * segment whose value it got; syncing them (and their folders) is what lets a segment go.
 */
final class UnsyncedFiles {

  private static final int SYNC_TASKS = 4;

  private final StoreWorkers workers;
  private final Path sessionsDir;
  // guarded by this
  private final Map<String, Map<String, Long>> unsynced = new HashMap<>();

  UnsyncedFiles(StoreWorkers workers, Path sessionsDir) {
    this.workers = workers;
    this.sessionsDir = sessionsDir;
  }

  /** {@code name} of {@code org} now holds a value logged in {@code segment}. */
  synchronized void written(String org, String name, long segment) {
    unsynced.computeIfAbsent(org, k -> new HashMap<>()).merge(name, segment, Math::max);
  }

  /**
   * Syncs every file written for segments up to {@code segment}, then their folders, so those
   * segments may be retired. Runs on the workers.
   */
  Future<Void> makeDurable(long segment) {
    Map<Path, Long> files = new LinkedHashMap<>();
    TreeSet<Path> folders = new TreeSet<>();
    synchronized (this) {
      unsynced.forEach((org, names) -> names.forEach((name, seg) -> {
        if (seg <= segment) {
          Path folder = sessionsDir.resolve(org);
          files.put(folder.resolve(name), seg);
          folders.add(folder);
        }
      }));
    }
    List<Path> paths = new ArrayList<>(files.keySet());
    List<Future<Void>> syncs = new ArrayList<>();
    int chunk = Math.max(1, (paths.size() + SYNC_TASKS - 1) / SYNC_TASKS);
    for (int i = 0; i < paths.size(); i += chunk) {
      List<Path> part = paths.subList(i, Math.min(paths.size(), i + chunk));
      syncs.add(workers.call(() -> {
        for (Path file : part) {
          syncFile(file);
        }
        return null;
      }));
    }
    return Future.all(syncs).compose(v -> workers.call(() -> {
      for (Path folder : folders) {
        syncFolder(folder);
      }
      AtomicFiles.fsyncDirectory(sessionsDir); // org folders the lanes created
      synchronized (this) {
        files.forEach((file, seg) -> {
          String org = file.getParent().getFileName().toString();
          Map<String, Long> names = unsynced.get(org);
          if (names != null && names.remove(file.getFileName().toString(), seg)
              && names.isEmpty()) {
            unsynced.remove(org);
          }
        });
      }
      return null;
    }));
  }

  /** Syncs the files written for {@code org} and its folder (before it is archived). Blocking. */
  void makeOrgDurable(String org) throws IOException {
    Map<String, Long> names;
    synchronized (this) {
      names = new HashMap<>(unsynced.getOrDefault(org, Map.of()));
    }
    Path folder = sessionsDir.resolve(org);
    for (String name : names.keySet()) {
      syncFile(folder.resolve(name));
    }
    syncFolder(folder);
    synchronized (this) {
      Map<String, Long> now = unsynced.get(org);
      if (now != null) {
        names.forEach(now::remove);
        if (now.isEmpty()) {
          unsynced.remove(org);
        }
      }
    }
  }

  private static void syncFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (NoSuchFileException gone) {
      // deleted since (its folder's sync makes that durable) or archived (synced by the clear)
    }
  }

  private static void syncFolder(Path folder) throws IOException {
    try {
      AtomicFiles.fsyncDirectory(folder);
    } catch (NoSuchFileException archived) {
      // moved to the archive by a clear, which synced it first
    }
  }
}
