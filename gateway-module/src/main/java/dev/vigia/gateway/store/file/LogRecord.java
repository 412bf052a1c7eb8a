package dev.vigia.gateway.store.file;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One entry of the {@link AuthLog}: an org's batch of files written (value) or deleted (null),
 * or a reset (the org's folder was archived or replaced by an import: its earlier entries must
 * never be replayed into the folder again).
 *
 * <p>On disk: {@code [int length][int crc32c][body]}, body = {@code kind, org, count, then
 * (name, value length or -1, value bytes) per file}. A crash while appending leaves a torn last
 * entry; its length or checksum does not match and reading stops there (it was never
 * acknowledged, since acknowledgement waits for the fsync).
 */
record LogRecord(String org, Map<String, byte[]> files, boolean reset) {

  private static final byte WRITES = 1;
  private static final byte RESET = 2;
  private static final int HEADER = 8;

  static LogRecord writes(String org, Map<String, byte[]> files) {
    return new LogRecord(org, Collections.unmodifiableMap(new LinkedHashMap<>(files)), false);
  }

  static LogRecord reset(String org) {
    return new LogRecord(org, Map.of(), true);
  }

  /** Bytes of file content it carries (what it holds in memory until applied). */
  long valueBytes() {
    long n = 0;
    for (byte[] value : files.values()) {
      n += value == null ? 0 : value.length;
    }
    return n;
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + 64 + (int) valueBytes()
        + files.size() * 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0); // length and checksum, filled in below
      out.writeInt(0);
      out.writeByte(reset ? RESET : WRITES);
      out.writeUTF(org);
      out.writeInt(files.size());
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        out.writeUTF(file.getKey());
        byte[] value = file.getValue();
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
          out.write(value);
        }
      }
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    byte[] framed = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(framed, HEADER, framed.length - HEADER);
    ByteBuffer.wrap(framed).putInt(framed.length - HEADER).putInt((int) crc.getValue());
    return framed;
  }

  /** The whole entries at the start of {@code segment}, up to the first torn or blank one. */
  static List<LogRecord> decodeAll(byte[] segment) {
    List<LogRecord> records = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(segment);
    while (buf.remaining() >= HEADER) {
      int length = buf.getInt();
      int checksum = buf.getInt();
      if (length <= 0 || length > buf.remaining()) {
        break; // the blank (zero-filled) rest of the segment, or a torn entry
      }
      CRC32C crc = new CRC32C();
      crc.update(segment, buf.position(), length);
      if ((int) crc.getValue() != checksum) {
        break;
      }
      records.add(decodeBody(segment, buf.position(), length));
      buf.position(buf.position() + length);
    }
    return records;
  }

  private static LogRecord decodeBody(byte[] segment, int offset, int length) {
    try (DataInputStream in = new DataInputStream(
        new java.io.ByteArrayInputStream(segment, offset, length))) {
      byte kind = in.readByte();
      String org = in.readUTF();
      int count = in.readInt();
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int size = in.readInt();
        byte[] value = null;
        if (size >= 0) {
          value = new byte[size];
          in.readFully(value);
        }
        files.put(name, value);
      }
      return new LogRecord(org, Collections.unmodifiableMap(files), kind == RESET);
    } catch (IOException e) {
      // the checksum matched: only a bug in encode() could get here
      throw new IllegalStateException("an auth log entry with a valid checksum does not decode", e);
    }
  }
}
