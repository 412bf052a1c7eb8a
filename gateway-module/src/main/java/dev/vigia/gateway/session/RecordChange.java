package dev.vigia.gateway.session;

import dev.vigia.common.Json;
import dev.vigia.common.storage.GroupCommitLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One save ({@code json}) or removal ({@code json == null}) of an org's record, as
 * {@link FileSessionRecordStore}'s log holds it. The record is encoded on the log's thread, so
 * that a burst of saves does not serialize JSON on the event loop.
 */
final class RecordChange {

  private final String org;
  private final SessionRecord record;
  private byte[] json;

  RecordChange(String org, SessionRecord record) {
    this.org = org;
    this.record = record;
  }

  private RecordChange(String org, byte[] json) {
    this.org = org;
    this.record = null;
    this.json = json;
  }

  String org() {
    return org;
  }

  /** The record as JSON once encoded or read back; null for a removal. */
  byte[] json() {
    return json;
  }

  /** {@code [UTF org][int length or -1][json]}. */
  static final class Codec implements GroupCommitLog.Codec<RecordChange> {
    @Override
    public byte[] encode(RecordChange change) {
      try {
        if (change.record != null) {
          change.json = Json.mapper().writeValueAsBytes(change.record);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
            64 + (change.json == null ? 0 : change.json.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          out.writeUTF(change.org);
          out.writeInt(change.json == null ? -1 : change.json.length);
          if (change.json != null) {
            out.write(change.json);
          }
        }
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new IllegalArgumentException("the session record of " + change.org
            + " cannot be written as JSON: " + e.getMessage(), e);
      }
    }

    @Override
    public RecordChange decode(byte[] bytes, int offset, int length) {
      try (DataInputStream in = new DataInputStream(
          new ByteArrayInputStream(bytes, offset, length))) {
        String org = in.readUTF();
        int size = in.readInt();
        byte[] json = null;
        if (size >= 0) {
          json = new byte[size];
          in.readFully(json);
        }
        return new RecordChange(org, json);
      } catch (IOException e) {
        // the checksum matched: only a bug in encode() could get here
        throw new UncheckedIOException("a session record log entry does not decode", e);
      }
    }
  }
}
