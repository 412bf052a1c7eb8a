package dev.vigia.common.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log made durable by group commit: an entry is acknowledged once it is written and
 * the log is {@code fdatasync}ed, and the entries that arrive while a sync runs share the next one
 * (many writers, one sync, no added wait). Its owner keeps the entries' values elsewhere too (one
 * file per org, say) and syncs those lazily; the log is what survives a crash meanwhile.
 *
 * <p>Why: an fsync costs about as much as 5 to 10 whole unsynced file writes, and a burst (2,000
 * sessions restored, each saved and journaled twice) made thousands of them. Segments are
 * zero-filled and synced before use, so an append changes no file size and its {@code fdatasync}
 * writes no metadata. On disk each entry is {@code [int length][int crc32c][payload]}: a crash
 * leaves a torn last entry whose length or checksum does not match, and reading stops there (it
 * was never acknowledged, since acknowledgement waits for the sync).
 *
 * <p>Segments are numbered; {@link #recover} reads them all, in order, at start. Once the owner
 * has made what the sealed segments hold durable elsewhere it {@link #retire}s them, oldest
 * first. After a failed write or sync the log's tail is unknown: it accepts nothing more until
 * it is opened again (a restart). Writing starts with {@link #start}, after {@link #recover}.
 *
 * @param <E> what an entry holds; encoded on the log's thread, in log order
 */
public final class GroupCommitLog<E> {

  /** An entry's payload, both ways. */
  public interface Codec<E> {
    /**
     * The entry's payload; runs on the log's thread in log order. An
     * {@link IllegalArgumentException} refuses this entry alone, before anything is written.
     */
    byte[] encode(E entry);

    /** The entry back from its payload (whose checksum matched). */
    E decode(byte[] bytes, int offset, int length);
  }

  /** What the log tells its owner, on the log's thread, in log order. */
  public interface Listener<E> {
    /** {@code entry} is durable in {@code segment}; its append completes after this returns. */
    void durable(E entry, long segment);

    /** {@code entry} was encoded but its group could not be written (its append fails). */
    default void notWritten(E entry) {}
  }

  /** An entry read back at start, with its segment. */
  public record Recovered<E>(E entry, long segment) {}

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitLog.class);

  private final Path dir;
  private final String what;
  private final int segmentBytes;
  private final Executor executor;
  private final Codec<E> codec;
  private final Listener<E> listener;
  private final ConcurrentLinkedQueue<Append<E>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();
  private volatile Runnable beforeSync;
  private volatile boolean started;
  private volatile boolean reopenAfterFailure;

  // guarded by this
  private final TreeMap<Long, Path> sealed = new TreeMap<>();
  private FileChannel active;
  private long activeNumber;
  private Path activePath;
  private long position;
  private long capacity;
  private IOException broken;

  /**
   * @param what what the log holds, for messages ("session records")
   * @param executor runs the writes, one group at a time; appends complete on its thread
   */
  public GroupCommitLog(Path dir, String what, int segmentBytes, Executor executor,
      Codec<E> codec, Listener<E> listener) {
    this.dir = dir;
    this.what = what;
    this.segmentBytes = segmentBytes;
    this.executor = executor;
    this.codec = codec;
    this.listener = listener;
  }

  /**
   * Crash injection for tests: runs after a group is written and before its sync (a child process
   * halts there). Never set in production.
   */
  public void beforeSyncForTests(Runnable hook) {
    this.beforeSync = hook;
  }

  /**
   * After a failed write or sync, the next group goes to a fresh segment instead of the log
   * refusing everything until a restart. For logs whose entries each replace a value (a record
   * per org): a failed entry that did reach the disk may come back at the next start, before the
   * entries written after it, which replace it. Not for logs whose entries add up.
   */
  public void reopenAfterFailure() {
    this.reopenAfterFailure = true;
  }

  /**
   * Every whole entry earlier runs left, in order; their segments become sealed (retire them once
   * their values are durable elsewhere). Blocking; call once, before the first append.
   */
  public synchronized List<Recovered<E>> recover() throws IOException {
    Files.createDirectories(dir);
    TreeMap<Long, Path> found = SegmentFiles.list(dir);
    List<Recovered<E>> recovered = new ArrayList<>();
    for (var segment : found.entrySet()) {
      SegmentFiles.read(segment.getValue(), (bytes, offset, length) ->
          recovered.add(new Recovered<>(codec.decode(bytes, offset, length), segment.getKey())));
    }
    sealed.putAll(found);
    activeNumber = Math.max(activeNumber, found.isEmpty() ? 0 : found.lastKey());
    return recovered;
  }

  /**
   * The log could not be opened (its {@link #recover} failed): every append, waiting or later,
   * fails with {@code cause}.
   */
  public void refuse(IOException cause) {
    synchronized (this) {
      if (broken == null) {
        broken = cause;
      }
    }
    start();
  }

  /** Lets appends be written (they wait in order until then); call after {@link #recover}. */
  public void start() {
    started = true;
    flushSoon();
  }

  /**
   * Appends {@code entry}; the future completes on the log's thread once the entry is durable
   * and the listener has it. Fails alone when the codec refuses it. Appends made before
   * {@link #start} wait for it, in order.
   */
  public Future<Void> append(E entry) {
    Promise<Void> done = Promise.promise();
    queue.add(new Append<>(entry, done));
    flushSoon();
    return done.future();
  }

  private void flushSoon() {
    if (started && !queue.isEmpty() && flushing.compareAndSet(false, true)) {
      try {
        executor.execute(this::flushAll);
      } catch (RuntimeException rejected) {
        // the executor is shut down: nothing will write what is queued
        List<Append<E>> dropped = new ArrayList<>();
        for (Append<E> a = queue.poll(); a != null; a = queue.poll()) {
          dropped.add(a);
        }
        flushing.set(false);
        fail(dropped, closed());
      }
    }
  }

  /**
   * Seals the active segment when it holds entries (new entries go to a fresh one); returns the
   * newest sealed segment, or -1 when there is none.
   */
  public synchronized long seal() throws IOException {
    if (broken != null) {
      throw broken;
    }
    if (position > 0) {
      sealActive();
    }
    return sealed.isEmpty() ? -1 : sealed.lastKey();
  }

  /** Deletes the sealed segments up to {@code upTo}, oldest first, and syncs the folder. */
  public void retire(long upTo) throws IOException {
    List<Path> old;
    synchronized (this) {
      old = new ArrayList<>(sealed.headMap(upTo, true).values());
    }
    if (old.isEmpty()) {
      return;
    }
    // oldest first: whatever a crash leaves is a suffix of the log, never a hole in it
    for (Path segment : old) {
      Files.deleteIfExists(segment);
    }
    AtomicFiles.fsyncDirectory(dir);
    synchronized (this) {
      sealed.headMap(upTo, true).clear();
    }
  }

  /** Stops: later appends fail. The segments stay for the next {@link #recover}. */
  public synchronized void close() {
    try {
      if (active != null) {
        active.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the {} log: {}", what, e.toString());
    }
    active = null;
    if (broken == null) {
      broken = closed();
    }
  }

  private IOException closed() {
    return new IOException("the " + what + " log is closed");
  }

  // ---- group commit -------------------------------------------------------------------------

  private record Append<E>(E entry, Promise<Void> done) {}

  /** Writes what is queued, group by group, until nothing is; one runs at a time. */
  private void flushAll() {
    while (true) {
      List<Append<E>> group = new ArrayList<>();
      for (Append<E> a = queue.poll(); a != null; a = queue.poll()) {
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

  /** Writes a group with one sync, hands it to the listener, then answers each caller. */
  private void flush(List<Append<E>> group) {
    List<Append<E>> written = new ArrayList<>(group.size());
    List<byte[]> framed = new ArrayList<>(group.size());
    int total = 0;
    synchronized (this) {
      if (broken != null) {
        fail(group, broken);
        return;
      }
    }
    for (Append<E> a : group) {
      byte[] bytes;
      try {
        bytes = SegmentFiles.frame(codec.encode(a.entry()));
      } catch (RuntimeException refused) {
        a.done().fail(refused);
        continue;
      }
      framed.add(bytes);
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
        if (active == null || position + total > capacity) {
          if (active != null) {
            sealActive();
          }
          openSegment(Math.max(segmentBytes, total)); // on failure the log is as it was
        }
        writing = true;
        ByteBuffer buf = ByteBuffer.allocate(total);
        framed.forEach(buf::put);
        buf.flip();
        long at = position;
        while (buf.hasRemaining()) {
          at += active.write(buf, at);
        }
        Runnable hook = beforeSync;
        if (hook != null) {
          hook.run();
        }
        active.force(false);
        position += total;
        for (Append<E> a : written) {
          listener.durable(a.entry(), activeNumber);
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
        if (writing && reopenAfterFailure) {
          abandonActive(e);
        } else if (writing && broken == null) {
          // after a failed write or sync the log's tail is unknown: accept nothing more
          broken = e instanceof IOException io ? io : new IOException(e);
          LOG.error("the {} log {} cannot be written; its writes fail until Vigía is restarted on"
              + " a healthy disk", what, activePath, e);
        }
      }
    }
    if (failure == null) {
      written.forEach(a -> a.done().complete());
    } else {
      written.forEach(a -> listener.notWritten(a.entry()));
      fail(written, failure);
    }
  }

  private static <E> void fail(List<Append<E>> appends, Throwable failure) {
    for (Append<E> a : appends) {
      a.done().tryFail(failure);
    }
  }

  // ---- segments (call holding the monitor) -------------------------------------------------

  private void sealActive() throws IOException {
    active.close();
    sealed.put(activeNumber, activePath);
    active = null;
    activePath = null;
    position = 0;
    capacity = 0;
  }

  /** The active segment's tail is unknown: it is read at the next start up to its first tear. */
  private void abandonActive(Exception cause) {
    LOG.error("the {} log {} could not be written; its next writes go to a new segment", what,
        activePath, cause);
    try {
      active.close();
    } catch (IOException ignored) {
      // its tail is unknown either way
    }
    sealed.put(activeNumber, activePath);
    active = null;
    activePath = null;
    position = 0;
    capacity = 0;
  }

  private void openSegment(int bytes) throws IOException {
    SegmentFiles.Created next = SegmentFiles.create(dir, activeNumber + 1, bytes);
    active = next.channel();
    activeNumber = next.number();
    activePath = next.path();
    position = 0;
    capacity = bytes;
  }
}
