package dev.vigia.monitor.journal;

import dev.vigia.common.Json;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's files, {@code journal/<org>.jsonl}: where each line goes, writing it there,
 * syncing and reading. Blocking; {@link #place} and {@link #notWritten} run on the log's thread
 * only.
 */
final class JournalFiles {

  private static final String SUFFIX = ".jsonl";
  private static final byte NEWLINE = '\n';
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

  private final Path dir;
  /** Whether {@link #write} has made the folder (a stale false only makes it again). */
  private volatile boolean dirMade;
  /** Where the next line of each org goes; on the log's thread only. */
  private final Map<String, Long> ends = new HashMap<>();

  JournalFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path fileOf(String org) {
    return dir.resolve(org + SUFFIX);
  }

  /**
   * On the log's thread, in log order: the line's bytes and where in its file they go (after the
   * lines placed before it, whether or not they are in the file yet).
   */
  void place(JournalLine line) throws IOException {
    byte[] entry = Json.mapper().writeValueAsBytes(line.entry);
    byte[] json = Arrays.copyOf(entry, entry.length + 1);
    json[entry.length] = NEWLINE;
    Long end = ends.get(line.org);
    if (end == null) {
      Path file = fileOf(line.org);
      end = Files.exists(file) ? Files.size(file) : 0L;
      if (end > 0 && !endsWithNewline(file, end)) {
        // the last line was torn by a crash: end it, so it stays one unreadable line on its own
        byte[] joined = new byte[json.length + 1];
        joined[0] = NEWLINE;
        System.arraycopy(json, 0, joined, 1, json.length);
        json = joined;
      }
    }
    line.offset = end;
    ends.put(line.org, end + json.length);
    line.bytes = json;
  }

  /** {@code line}'s group could not be logged: the next line takes its place. */
  void notWritten(JournalLine line) {
    ends.merge(line.org, line.offset, Math::min);
  }

  /**
   * Writes {@code line} at its offset: the same bytes at the same place, however often. The
   * folder is made by the first write (and again if it went away), not checked at every line:
   * a restart of 2,000 sessions writes 4,000 lines.
   */
  void write(JournalLine line) throws IOException {
    if (!dirMade) {
      Files.createDirectories(dir);
      dirMade = true;
    }
    try {
      writeAt(line);
    } catch (NoSuchFileException gone) {
      Files.createDirectories(dir);
      writeAt(line);
    }
  }

  private void writeAt(JournalLine line) throws IOException {
    try (FileChannel ch = FileChannel.open(fileOf(line.org), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(line.bytes);
      long at = line.offset; // a line before it that failed to go in is written there later
      while (buf.hasRemaining()) {
        at += ch.write(buf, at);
      }
    }
  }

  /** Makes what was written to {@code org}'s file durable. */
  void sync(String org) throws IOException {
    try (FileChannel ch = FileChannel.open(fileOf(org), StandardOpenOption.WRITE)) {
      ch.force(false);
    }
  }

  /** Up to {@code limit} entries of {@code org}, newest first; torn lines skipped (logged). */
  List<JournalEntry> read(String org, int limit) throws IOException {
    Deque<JournalEntry> newest = new ArrayDeque<>(Math.min(limit, 1024));
    int skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(fileOf(org), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JournalEntry entry;
        try {
          entry = Json.mapper().readValue(line, JournalEntry.class);
        } catch (IOException e) {
          skipped++;
          continue;
        }
        newest.addFirst(entry);
        if (newest.size() > limit) {
          newest.removeLast();
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (skipped > 0) {
      int lost = skipped;
      OrgMdc.run(org, () -> log.warn(
          "journal of org {}: skipped {} unreadable line(s) (torn by a crash?)", org, lost));
    }
    return new ArrayList<>(newest);
  }

  private static boolean endsWithNewline(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, size - 1);
      return last.get(0) == NEWLINE;
    }
  }
}
