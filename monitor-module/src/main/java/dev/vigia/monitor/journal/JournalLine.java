package dev.vigia.monitor.journal;

import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.storage.GroupCommitLog;
import io.vertx.core.Promise;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of one org's journal file, at its byte offset, as the journal's log holds it;
 * {@code applied} once it is in the file.
 */
final class JournalLine {

  final String org;
  final JournalEntry entry;
  final Promise<Void> applied = Promise.promise();
  /** Set when placed (on the log's thread, in log order) or read back. */
  long offset;
  byte[] bytes;

  JournalLine(String org, JournalEntry entry) {
    this.org = org;
    this.entry = entry;
  }

  /** {@code [UTF org][long offset][int length][line]}; the line is placed as it is encoded. */
  static final class Codec implements GroupCommitLog.Codec<JournalLine> {

    private final JournalFiles files;

    Codec(JournalFiles files) {
      this.files = files;
    }

    @Override
    public byte[] encode(JournalLine line) {
      try {
        files.place(line);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(line.bytes.length + 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          out.writeUTF(line.org);
          out.writeLong(line.offset);
          out.writeInt(line.bytes.length);
          out.write(line.bytes);
        }
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new IllegalArgumentException("journal line of org " + line.org
            + " cannot be written: " + e.getMessage(), e);
      }
    }

    @Override
    public JournalLine decode(byte[] bytes, int offset, int length) {
      try (DataInputStream in = new DataInputStream(
          new ByteArrayInputStream(bytes, offset, length))) {
        JournalLine line = new JournalLine(in.readUTF(), null);
        line.offset = in.readLong();
        line.bytes = new byte[in.readInt()];
        in.readFully(line.bytes);
        return line;
      } catch (IOException e) {
        // the checksum matched: only a bug in encode() could get here
        throw new UncheckedIOException("a journal log entry does not decode", e);
      }
    }
  }
}
