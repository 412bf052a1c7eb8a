package dev.vigia.common.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The files of a {@link GroupCommitLog}: numbered segments ({@code 0000000000000001.log}) of
 * entries framed {@code [int length][int crc32c][payload]}. Blocking.
 */
final class SegmentFiles {

  /** A segment created for writing. */
  record Created(long number, Path path, FileChannel channel) {}

  /** Gets each whole entry's payload (its checksum matched). */
  interface Entries {
    void entry(byte[] bytes, int offset, int length);
  }

  private static final String SUFFIX = ".log";
  private static final int HEADER = 8;

  private SegmentFiles() {}

  /** The segments in {@code dir}, by number. */
  static TreeMap<Long, Path> list(Path dir) throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path entry : entries) {
        Long number = numberOf(entry);
        if (number != null) {
          found.put(number, entry);
        }
      }
    }
    return found;
  }

  /** Reads the whole entries of {@code segment}, up to its blank rest or its first torn one. */
  static void read(Path segment, Entries entries) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.remaining() >= HEADER) {
      int length = buf.getInt();
      int checksum = buf.getInt();
      if (length <= 0 || length > buf.remaining()) {
        break; // the blank (zero-filled) rest of the segment, or a torn entry
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, buf.position(), length);
      if ((int) crc.getValue() != checksum) {
        break; // torn: never acknowledged, since acknowledgement waits for the sync
      }
      entries.entry(bytes, buf.position(), length);
      buf.position(buf.position() + length);
    }
  }

  /** {@code payload} with its length and checksum before it. */
  static byte[] frame(byte[] payload) {
    byte[] framed = new byte[HEADER + payload.length];
    System.arraycopy(payload, 0, framed, HEADER, payload.length);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer.wrap(framed).putInt(payload.length).putInt((int) crc.getValue());
    return framed;
  }

  /**
   * A new segment numbered {@code number} or above, {@code bytes} long, zero-filled and synced
   * with its folder, so that appends change no file size and their {@code fdatasync} writes no
   * metadata. On failure nothing is left.
   */
  static Created create(Path dir, long number, int bytes) throws IOException {
    Files.createDirectories(dir);
    Path path;
    FileChannel next;
    while (true) {
      path = dir.resolve(String.format("%016d%s", number, SUFFIX));
      try {
        next = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        break;
      } catch (FileAlreadyExistsException taken) {
        number++; // left by another log object on this folder (tests); never reuse a file
      }
    }
    try {
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
      throw e;
    }
    return new Created(number, path, next);
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
