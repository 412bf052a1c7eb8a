package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes acknowledged (logged) values into their Baileys files, in the background, and says what
 * is not there yet. Until a value is in its file, reads get it from here. Writes of one key
 * replace each other while they wait, and one file write carries the last value (a session
 * ratchet rewritten per message, creds saved per update: see {@link #REWRITE_AFTER_MILLIS}). A file is written as temp + rename (a
 * reader never sees half a file) without fsync: the log holds the value until {@link UnsyncedFiles}
 * has synced the file, after which the log can be retired.
 *
 * <p>Each key is always written by the same lane, so its writes land in order; lanes run on the
 * store's workers. All bookkeeping is under one lock; file I/O is outside it.
 */
final class FileApplier {

  /** An acknowledged value waiting for its file ({@code value == null}: delete the file). */
  record Slot(byte[] value, long segment, long writtenAtMillis) {
    long bytes() {
      return value == null ? 0 : value.length;
    }
  }

  private record Key(String org, String name) {}

  private record Waiter(BooleanSupplier ready, Promise<Void> promise) {}

  private static final Logger LOG = LoggerFactory.getLogger(FileApplier.class);
  private static final int LANES = 2;
  /** Past this much waiting value data, new writes wait until the lanes catch up. */
  static final long MAX_PENDING_BYTES = 64L << 20;
  /** Past this much waiting value data, files are written even while writes keep coming. */
  static final long EAGER_BYTES = 16L << 20;
  static final long QUIET_MILLIS = 5;
  private static final long QUIET_NANOS = QUIET_MILLIS * 1_000_000;
  private static final long RETRY_MILLIS = 1_000;
  /** A key's file is rewritten at most this often; values in between replace each other. */
  static final long REWRITE_AFTER_MILLIS = 50;
  private static final long REWRITE_AFTER_NANOS = REWRITE_AFTER_MILLIS * 1_000_000;

  private final StoreWorkers workers;
  private final Path sessionsDir;

  // guarded by this
  private final Map<String, Map<String, Slot>> slots = new HashMap<>();
  /** Slots not yet applied, per log segment: a segment can go once its count is gone. */
  private final TreeMap<Long, Integer> unapplied = new TreeMap<>();
  private final UnsyncedFiles unsynced;
  /** Keys with a waiting value, per lane, oldest first, each once. */
  private final List<LinkedHashSet<Key>> lanes = new ArrayList<>();
  private final boolean[] laneRunning = new boolean[LANES];
  private final boolean[] wakeScheduled = new boolean[LANES];
  private long lastAccept;
  /** When each recently written key's file was written (System.nanoTime). */
  private final Map<Key, Long> lastWritten = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private long pendingBytes;
  private IOException failure;

  FileApplier(StoreWorkers workers, Path sessionsDir, UnsyncedFiles unsynced) {
    this.workers = workers;
    this.sessionsDir = sessionsDir;
    this.unsynced = unsynced;
    for (int i = 0; i < LANES; i++) {
      lanes.add(new LinkedHashSet<>());
    }
  }

  /** Takes a durable log entry (from the log, in log order); a reset drops the org's waiting values. */
  void accept(LogRecord record, long segment) {
    List<Promise<Void>> ready;
    synchronized (this) {
      if (record.reset()) {
        Map<String, Slot> dropped = slots.remove(record.org());
        if (dropped != null) {
          dropped.values().forEach(this::forget);
        }
      } else {
        lastAccept = System.nanoTime();
        Map<String, Slot> org = slots.computeIfAbsent(record.org(), k -> new HashMap<>());
        long now = System.currentTimeMillis();
        for (var file : record.files().entrySet()) {
          Slot slot = new Slot(file.getValue(), segment, now);
          Slot replaced = org.put(file.getKey(), slot);
          if (replaced != null) {
            forget(replaced); // coalesced: this slot's write carries the newer value
          }
          unapplied.merge(segment, 1, Integer::sum);
          pendingBytes += slot.bytes();
          Key key = new Key(record.org(), file.getKey());
          int lane = Math.floorMod(key.hashCode(), LANES);
          lanes.get(lane).add(key);
          startLane(lane);
        }
      }
      ready = readyWaiters();
    }
    ready.forEach(Promise::complete);
  }

  /** The waiting values of {@code names} in {@code org}; names whose file is current are absent. */
  synchronized Map<String, Slot> lookup(String org, List<String> names) {
    Map<String, Slot> orgSlots = slots.get(org);
    if (orgSlots == null) {
      return Map.of();
    }
    Map<String, Slot> found = new LinkedHashMap<>();
    for (String name : names) {
      Slot slot = orgSlots.get(name);
      if (slot != null) {
        found.put(name, slot);
      }
    }
    return found;
  }

  /** A copy of every waiting value of {@code org} (empty when its files are current). */
  synchronized Map<String, Slot> waiting(String org) {
    Map<String, Slot> orgSlots = slots.get(org);
    return orgSlots == null ? Map.of() : new HashMap<>(orgSlots);
  }

  /** A copy of every waiting value, by org. */
  synchronized Map<String, Map<String, Slot>> waiting() {
    Map<String, Map<String, Slot>> copy = new HashMap<>();
    slots.forEach((org, s) -> copy.put(org, new HashMap<>(s)));
    return copy;
  }

  /** Completes once every acknowledged value of {@code org} is in its file. */
  Future<Void> applied(String org) {
    return when(() -> !slots.containsKey(org));
  }

  /** Completes once every value logged in segments up to {@code segment} is in its file. */
  Future<Void> appliedUpTo(long segment) {
    return when(() -> unapplied.isEmpty() || unapplied.firstKey() > segment);
  }

  /** Completes when a new write may join (backpressure: the waiting values fit in memory). */
  Future<Void> room() {
    return when(() -> pendingBytes < MAX_PENDING_BYTES);
  }

  /** Why the last file write failed (the value stays in the log and here), or null. */
  synchronized IOException failure() {
    return failure;
  }

  // ---- lanes ---------------------------------------------------------------------------------

  /** Starts the lane if it has keys, unless acknowledgements are flowing (holding the monitor). */
  private void startLane(int lane) {
    if (laneRunning[lane] || lanes.get(lane).isEmpty()) {
      return;
    }
    if (acknowledgementsFirst()) {
      wakeLater(lane, QUIET_MILLIS);
      return;
    }
    laneRunning[lane] = true;
    workers.execute(() -> runLane(lane));
  }

  /**
   * While writes are being acknowledged (one in the last {@link #QUIET_MILLIS}), files wait:
   * writing them meanwhile slows each acknowledgement (StoreThroughput, one org's awaited session
   * writes: about 3 times slower). They go in the pause after, or at once when someone waits for
   * them (a flush, a clear, a checkpoint) or {@link #EAGER_BYTES} of values wait.
   */
  private boolean acknowledgementsFirst() {
    return System.nanoTime() - lastAccept < QUIET_NANOS && waiters.isEmpty()
        && pendingBytes < EAGER_BYTES;
  }

  private void wakeLater(int lane, long millis) {
    if (!wakeScheduled[lane]) {
      wakeScheduled[lane] = true;
      workers.schedule(millis, () -> {
        synchronized (this) {
          wakeScheduled[lane] = false;
          startLane(lane);
        }
      });
    }
  }

  /**
   * Writes the lane's keys, oldest first. A key whose file was written less than
   * {@link #REWRITE_AFTER_MILLIS} ago waits for that (a ratchet or the creds, rewritten per
   * message: its later writes replace each other and one file write carries the last); a key
   * written for the first time in a while goes at once.
   */
  private void runLane(int lane) {
    List<Key> deferred = new ArrayList<>();
    while (true) {
      Key key;
      Slot slot;
      synchronized (this) {
        Iterator<Key> next = lanes.get(lane).iterator();
        if (!next.hasNext() || acknowledgementsFirst()) {
          laneRunning[lane] = false;
          comeBackFor(lane, deferred);
          if (next.hasNext()) {
            wakeLater(lane, QUIET_MILLIS);
          }
          return;
        }
        key = next.next();
        next.remove();
        Long last = lastWritten.get(key);
        if (last != null && System.nanoTime() - last < REWRITE_AFTER_NANOS) {
          deferred.add(key);
          continue;
        }
        Map<String, Slot> orgSlots = slots.get(key.org());
        slot = orgSlots == null ? null : orgSlots.get(key.name());
      }
      if (slot != null) {
        apply(key, slot);
      }
    }
  }

  /** Puts the keys written moments ago back in their lane, and starts it when the first is due. */
  private void comeBackFor(int lane, List<Key> deferred) {
    long now = System.nanoTime();
    lastWritten.values().removeIf(at -> now - at >= REWRITE_AFTER_NANOS);
    if (deferred.isEmpty()) {
      return;
    }
    long due = Long.MAX_VALUE;
    for (Key key : deferred) {
      lanes.get(lane).add(key);
      Long last = lastWritten.get(key);
      due = Math.min(due, last == null ? now : last + REWRITE_AFTER_NANOS);
    }
    wakeLater(lane, Math.max(1, (due - now + 999_999) / 1_000_000));
  }

  private void apply(Key key, Slot slot) {
    Path folder = sessionsDir.resolve(key.org());
    IOException failed = null;
    try {
      if (slot.value() == null) {
        Files.deleteIfExists(folder.resolve(key.name()));
      } else {
        AtomicFiles.writeUnsynced(folder.resolve(key.name()), slot.value());
      }
    } catch (IOException e) {
      failed = e;
    }
    List<Promise<Void>> ready;
    synchronized (this) {
      if (failed != null) {
        if (failure == null) {
          LOG.error("could not write {} of org {}; the value is kept in the auth log and retried",
              key.name(), key.org(), failed);
        }
        failure = failed;
        workers.schedule(RETRY_MILLIS, () -> retry(key));
        return;
      }
      if (failure != null) {
        LOG.info("auth-state files are written again");
        failure = null;
      }
      unsynced.written(key.org(), key.name(), slot.segment()); // before the slot goes
      lastWritten.put(key, System.nanoTime());
      Map<String, Slot> orgSlots = slots.get(key.org());
      if (orgSlots != null && orgSlots.get(key.name()) == slot) {
        orgSlots.remove(key.name());
        if (orgSlots.isEmpty()) {
          slots.remove(key.org());
        }
        forget(slot);
      }
      ready = readyWaiters();
    }
    ready.forEach(Promise::complete);
  }

  private synchronized void retry(Key key) {
    int lane = Math.floorMod(key.hashCode(), LANES);
    lanes.get(lane).add(key);
    startLane(lane);
  }

  // ---- bookkeeping (holding the monitor) -----------------------------------------------------

  private void forget(Slot slot) {
    unapplied.computeIfPresent(slot.segment(), (seg, n) -> n == 1 ? null : n - 1);
    pendingBytes -= slot.bytes();
  }

  private Future<Void> when(BooleanSupplier ready) {
    synchronized (this) {
      if (ready.getAsBoolean()) {
        return Future.succeededFuture();
      }
      Promise<Void> promise = Promise.promise();
      waiters.add(new Waiter(ready, promise));
      for (int lane = 0; lane < LANES; lane++) {
        startLane(lane); // someone waits for the files: they go now
      }
      return promise.future();
    }
  }

  private List<Promise<Void>> readyWaiters() {
    if (waiters.isEmpty()) {
      return List.of();
    }
    List<Promise<Void>> ready = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.ready().getAsBoolean()) {
        ready.add(w.promise());
        it.remove();
      }
    }
    return ready;
  }
}
