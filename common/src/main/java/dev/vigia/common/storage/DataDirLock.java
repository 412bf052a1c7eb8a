package dev.vigia.common.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data dir: an OS file lock on {@code <dataDir>/vigia.lock}, released when the
 * process ends however it ends (so a crash never leaves a stale lock behind).
 */
public final class DataDirLock implements AutoCloseable {

  public static final String FILE_NAME = "vigia.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or throws {@link IllegalStateException} with a message naming the folder. */
  public static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException("data dir " + dataDir.toAbsolutePath()
          + " is in use by another Vigía process (lock " + file + "); stop it or choose another"
          + " VIGIA_DATA_DIR");
    }
    ch.truncate(0);
    ch.write(java.nio.ByteBuffer.wrap(
        (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
    ch.force(true);
    return new DataDirLock(ch, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
