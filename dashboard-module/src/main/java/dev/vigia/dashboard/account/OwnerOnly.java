package dev.vigia.dashboard.account;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders only their owner may read: password and key hashes, the first admin's
 * password. On a file system without POSIX permissions these do nothing more than create.
 * Blocking: call from a worker.
 */
public final class OwnerOnly {

  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

  private OwnerOnly() {}

  public static boolean supported() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code dir} (and missing parents) as 0700, or narrows it to 0700 when it exists. */
  public static boolean folder(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir, attributes(FOLDER));
      return false;
    }
    return narrow(dir, FOLDER);
  }

  /**
   * Narrows {@code path} to {@code wanted} when it grants more; true when it did. A missing path
   * is left alone.
   */
  public static boolean narrow(Path path, Set<PosixFilePermission> wanted) throws IOException {
    if (!supported() || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (wanted.containsAll(now)) {
      return false;
    }
    Files.setPosixFilePermissions(path, wanted);
    return true;
  }

  /**
   * Writes {@code content} to a new {@code file} that is 0600 from its first byte (an old one is
   * removed first, so no reader can hold it open with wider rights), then fsyncs it.
   */
  public static void writeNew(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), attributes(FILE))) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
    return supported()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}
