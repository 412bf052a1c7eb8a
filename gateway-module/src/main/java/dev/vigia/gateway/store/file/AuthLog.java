package dev.vigia.gateway.store.file;

import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of auth-state writes ({@code <dataDir>/auth_log/}, outside Baileys' folders):
 * a write is acknowledged once its entry is in the log and the log is fsynced; the key files are
 * written after (by {@link FileApplier}) and rebuilt from the log after a crash.
 *
 * <p>Why a log: an fsync costs about as much as 5 to 10 whole unsynced file writes on a common
 * disk, and a Baileys pre-key upload is 812 files. One append and one {@code fdatasync} make a
 * whole batch durable at once, and all-or-nothing (its entry is whole or torn). Entries arriving
 * while an fsync runs share the next one (group commit across orgs, with no added wait). Segments
 * are zero-filled and synced before use, so an append changes no file size and its
 * {@code fdatasync} writes no metadata.
 *
 * <p>Segments are numbered; all are read in order at start. Once every entry of the sealed
 * segments is applied and the files synced ({@link #retire}), they are deleted, oldest first.
 */
final class AuthLog {

  /** What the log hands over once an entry is durable, in log order. */
  interface Listener {
    void durable(LogRecord record, long segment);
  }

  /** An entry read back at start, with its segment. */
  record Recovered(LogRecord record, long segment) {}

  static final String DIR = "auth_log";
  private static final Logger LOG = LoggerFactory.getLogger(AuthLog.class);
  private static final String SUFFIX = ".log";
  /** Small enough to replay in a moment after a crash; big enough to seal rarely. */
  static final int SEGMENT_BYTES = 4 << 20;

  /**
   * Crash injection for tests: runs after a group is written and before its fsync (a child
   * process halts here). Never set in production.
   */
  static volatile Runnable beforeSyncForTests;

  private final Path dir;
  private final StoreWorkers workers;
  private final Listener listener;
  private final Runnable onSegmentFull;
  private final ConcurrentLinkedQueue<Append> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  // guarded by this
  private final TreeMap<Long, Path> sealed = new TreeMap<>();
  private FileChannel active;
  private long activeNumber;
  private Path activePath;
  private long position;
  private long capacity;
  private IOException broken;

  AuthLog(Path dataDir, StoreWorkers workers, Listener listener, Runnable onSegmentFull) {
    this.dir = dataDir.resolve(DIR);
    this.workers = workers;
    this.listener = listener;
    this.onSegmentFull = onSegmentFull;
  }

  Path dir() {
    return dir;
  }

  /** Every whole entry left by earlier runs, in order; their segments become sealed. Blocking. */
  synchronized List<Recovered> recover() throws IOException {
    Files.createDirectories(dir);
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path entry : entries) {
        Long number = numberOf(entry);
        if (number != null) {
          found.put(number, entry);
        }
      }
    }
    List<Recovered> recovered = new ArrayList<>();
    for (var segment : found.entrySet()) {
      for (LogRecord record : LogRecord.decodeAll(Files.readAllBytes(segment.getValue()))) {
        recovered.add(new Recovered(record, segment.getKey()));
      }
    }
    sealed.putAll(found);
    activeNumber = found.isEmpty() ? 0 : found.lastKey();
    return recovered;
  }

  /** Opens a fresh segment for new entries (after {@link #recover}). Blocking. */
  synchronized void start() throws IOException {
    switchSegment(SEGMENT_BYTES);
  }

  /**
   * Appends {@code record}; the future completes (on a worker thread) once it is durable and the
   * listener has it. With {@code checkJson}, a value that is not JSON fails this record alone,
   * before anything of it is written.
   */
  Future<Void> append(LogRecord record, boolean checkJson) {
    Promise<Void> done = Promise.promise();
    queue.add(new Append(record, checkJson, done));
    if (flushing.compareAndSet(false, true)) {
      workers.execute(this::flushAll);
    }
    return done.future();
  }

  /**
   * Seals the active segment when it holds entries (new entries go to a fresh one); returns the
   * newest sealed segment, or -1 when there is none. Blocking (it may create a segment).
   */
  synchronized long seal() throws IOException {
    if (broken != null) {
      throw broken;
    }
    if (position > 0) {
      switchSegment(SEGMENT_BYTES);
    }
    return sealed.isEmpty() ? -1 : sealed.lastKey();
  }

  /** Deletes the sealed segments up to {@code upTo}, oldest first, and syncs the folder. */
  void retire(long upTo) throws IOException {
    List<Path> old;
    synchronized (this) {
      old = new ArrayList<>(sealed.headMap(upTo, true).values());
    }
    if (old.isEmpty()) {
      return;
    }
    // oldest first: whatever a crash leaves is a suffix, so a reset is never lost before the
    // entries it voids
    for (Path segment : old) {
      Files.deleteIfExists(segment);
    }
    AtomicFiles.fsyncDirectory(dir);
    synchronized (this) {
      sealed.headMap(upTo, true).clear();
    }
  }

  /** Bytes of the sealed segments not yet retired. */
  synchronized long sealedBytes() {
    long bytes = 0;
    for (Path segment : sealed.values()) {
      try {
        bytes += Files.size(segment);
      } catch (IOException gone) {
        // retired meanwhile
      }
    }
    return bytes;
  }

  /** Why the log stopped accepting writes, or null. */
  synchronized IOException broken() {
    return broken;
  }

  synchronized void close() {
    try {
      if (active != null) {
        active.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the auth log: {}", e.toString());
    }
    active = null;
    if (broken == null) {
      broken = new IOException("the auth-state store is closed");
    }
  }

  // ---- group commit -------------------------------------------------------------------------

  private record Append(LogRecord record, boolean checkJson, Promise<Void> done) {}

  /** Writes what is queued, group by group, until nothing is; one runs at a time. */
  private void flushAll() {
    while (true) {
      List<Append> group = new ArrayList<>();
      for (Append a = queue.poll(); a != null; a = queue.poll()) {
        group.add(a);
      }
      if (group.isEmpty()) {
        flushing.set(false);
        // an append that came after the poll and saw flushing=true is ours to write
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      flush(group);
    }
  }

  /** Writes a group with one fsync, hands it to the listener, then answers each caller. */
  private void flush(List<Append> group) {
    List<Append> written = new ArrayList<>(group.size());
    List<byte[]> encoded = new ArrayList<>(group.size());
    int total = 0;
    for (Append a : group) {
      if (a.checkJson() && !valid(a)) {
        continue;
      }
      byte[] bytes = a.record().encode();
      encoded.add(bytes);
      written.add(a);
      total += bytes.length;
    }
    if (written.isEmpty()) {
      return;
    }
    Throwable failure = null;
    synchronized (this) {
      boolean writing = false;
      try {
        if (broken != null) {
          throw broken;
        }
        if (position + total > capacity) {
          switchSegment(Math.max(SEGMENT_BYTES, total)); // on failure the log is as it was
          onSegmentFull.run();
        }
        writing = true;
        ByteBuffer buf = ByteBuffer.allocate(total);
        encoded.forEach(buf::put);
        buf.flip();
        long at = position;
        while (buf.hasRemaining()) {
          at += active.write(buf, at);
        }
        Runnable hook = beforeSyncForTests;
        if (hook != null) {
          hook.run();
        }
        active.force(false);
        position += total;
        for (Append a : written) {
          listener.durable(a.record(), activeNumber);
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
        if (writing && broken == null) {
          // after a failed write or fsync the log's tail is unknown: accept nothing more
          broken = e instanceof IOException io ? io : new IOException(e);
          LOG.error("the auth log {} cannot be written; auth-state writes fail until Vigía is"
              + " restarted on a healthy disk", activePath, e);
        }
      }
    }
    for (Append a : written) {
      if (failure == null) {
        a.done().complete();
      } else {
        a.done().fail(new AuthStateException(Kind.STORAGE, "could not write the auth state of"
            + " organization " + a.record().org() + " (storage error; see the log)", failure));
      }
    }
  }

  private static boolean valid(Append a) {
    for (var file : a.record().files().entrySet()) {
      if (file.getValue() != null && !JsonText.isJson(file.getValue())) {
        a.done().fail(new IllegalArgumentException("the value of "
            + JsonText.printable(file.getKey()) + " is not valid JSON; nothing was written"));
        return false;
      }
    }
    return true;
  }

  // ---- segments (call holding the monitor) -------------------------------------------------

  private void switchSegment(int bytes) throws IOException {
    long number = activeNumber + 1;
    Path path;
    FileChannel next;
    while (true) {
      path = dir.resolve(String.format("%016d%s", number, SUFFIX));
      try {
        next = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        break;
      } catch (FileAlreadyExistsException taken) {
        number++; // left by another store object on this data dir (tests); never reuse a file
      }
    }
    try {
      // zeros written and synced now, so that appends change no size and need no metadata sync
      ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
      for (long at = 0; at < bytes; at += zeros.capacity()) {
        zeros.clear();
        zeros.limit((int) Math.min(zeros.capacity(), bytes - at));
        next.write(zeros, at);
      }
      next.force(true);
      AtomicFiles.fsyncDirectory(dir);
    } catch (IOException e) {
      next.close();
      Files.deleteIfExists(path);
      throw e; // the active segment stays as it was
    }
    if (active != null) {
      active.close();
      sealed.put(activeNumber, activePath);
    }
    active = next;
    activeNumber = number;
    activePath = path;
    position = 0;
    capacity = bytes;
  }

  private static Long numberOf(Path segment) {
    String name = segment.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }
}
