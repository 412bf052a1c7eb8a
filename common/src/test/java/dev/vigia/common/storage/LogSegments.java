package dev.vigia.common.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a crash can leave in a {@link GroupCommitLog}'s folder, made on purpose by the tests. */
public final class LogSegments {

  private LogSegments() {}

  /**
   * Tears the last entry of the newest segment that has one, as a crash in the middle of its
   * write would (its last byte never reached the disk); returns the offset of its payload.
   */
  public static int tearLastEntry(Path logDir) throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(logDir)) {
      segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      byte[] bytes = Files.readAllBytes(segments.get(i));
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int last = -1;
      int lastLength = 0;
      while (buf.remaining() >= 8) {
        int length = buf.getInt();
        buf.getInt(); // checksum
        if (length <= 0 || length > buf.remaining()) {
          break;
        }
        last = buf.position();
        lastLength = length;
        buf.position(buf.position() + length);
      }
      if (last >= 0) {
        bytes[last + lastLength - 1] ^= 0x5A;
        Files.write(segments.get(i), bytes);
        return last;
      }
    }
    throw new AssertionError("no entry in " + logDir);
  }
}
