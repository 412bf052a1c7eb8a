package dev.vigia.common.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file writes: a temp file beside the target, fsync, atomic rename, fsync of the
 * folder. A reader sees the old content or the new one, never a half-written file. Blocking:
 * call from a worker, never from an event loop.
 */
public final class AtomicFiles {

  /** Temp files start with this, so a folder scan can skip and sweep leftovers of a crash. */
  public static final String TEMP_PREFIX = ".tmp-";

  /**
   * Crash injection for tests: when set, runs after the temp file is written and fsynced and
   * before the rename (a child process halts here to prove a crash at that point loses nothing).
   * Never set in production.
   */
  public static volatile Runnable beforeRenameForTests;

  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Runnable hook = beforeRenameForTests;
      if (hook != null) {
        hook.run();
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system under " + dir + " cannot rename atomically", e);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes a rename or a new file in {@code dir} durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for reading; the rename is still atomic there.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Atomically moves a file or folder (same file system), then fsyncs both parents. */
  public static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.toAbsolutePath().getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(to.toAbsolutePath().getParent());
    fsyncDirectory(from.toAbsolutePath().getParent());
  }

  /**
   * Deletes the temp files a crash left directly in {@code dir} (not in sub-folders); returns how
   * many went. A missing folder has none. Call once at start, before anything writes there.
   */
  public static int sweepTemps(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int swept = 0;
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
        TEMP_PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.deleteIfExists(entry)) {
          swept++;
        }
      }
    }
    return swept;
  }

  public static boolean isTemp(Path file) {
    return file.getFileName().toString().startsWith(TEMP_PREFIX);
  }
}
