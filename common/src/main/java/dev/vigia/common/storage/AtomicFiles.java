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

  /**
   * Failure injection for tests: when set, runs just before a folder is fsynced and may throw as
   * a failing disk would (EIO). Never set in production.
   */
  public static volatile DirectorySyncHook beforeDirectorySyncForTests;

  /** See {@link #beforeDirectorySyncForTests}. */
  @FunctionalInterface
  public interface DirectorySyncHook {
    void run(Path dir) throws IOException;
  }

  /** Windows cannot open a folder as a file at all (and renames there need no folder sync). */
  private static final boolean FOLDERS_CANNOT_BE_OPENED =
      System.getProperty("os.name", "").startsWith("Windows");

  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    writeLeavingFolderUnsynced(target, content);
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Temp file, fsync, atomic rename; the caller syncs the folder ({@link #fsyncDirectory}) once
   * after a batch of these, before it counts on any of them surviving a power cut.
   */
  public static void writeLeavingFolderUnsynced(Path target, byte[] content) throws IOException {
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
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Temp file + atomic rename, without any fsync: a reader sees the old content or the new one,
   * never half, but after a power cut the file may hold either, or be empty. Only for files that
   * a durable write-ahead log rebuilds after a crash (the auth-state store's key files).
   */
  public static void writeUnsynced(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    boolean renamed = false;
    try {
      try {
        writeNew(temp, content);
      } catch (java.nio.file.NoSuchFileException noFolder) {
        try {
          Files.createDirectory(dir); // its parent must exist: a vanished tree is not re-created
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another writer made the folder at the same moment: fine, unless it is not a folder
          if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw raced;
          }
        }
        writeNew(temp, content);
      }
      Runnable hook = beforeRenameForTests;
      if (hook != null) {
        hook.run();
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void writeNew(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }

  /**
   * Makes a rename, a new file or a deletion in {@code dir} durable. A failed fsync throws: the
   * rename may not survive a power cut, so the write it completes has failed (POSIX can always
   * open a folder, so only Windows, which cannot, skips it).
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      if (FOLDERS_CANNOT_BE_OPENED && Files.isDirectory(dir)) {
        return;
      }
      throw e;
    }
    try (ch) {
      DirectorySyncHook hook = beforeDirectorySyncForTests;
      if (hook != null) {
        hook.run(dir);
      }
      ch.force(true);
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
