package dev.vigia.monitor.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file journal: {@code <dataDir>/journal/<org>.jsonl}, one {@link JournalEntry} as JSON per
 * line, appended and fsynced on a worker. A line torn by a crash is skipped when read, and the
 * next append starts on a fresh line so it never glues onto the torn one.
 */
public final class FileJournal implements Journal {

  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
  private static final byte NEWLINE = '\n';

  private final Vertx vertx;
  private final Path dir;
  /** The last append of each org: the next one waits for it, so one org's lines stay in order. */
  private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();

  public FileJournal(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dir = dataDir.resolve("journal");
  }

  @Override
  public Future<Void> append(JournalEntry entry) {
    String org;
    byte[] line;
    try {
      org = OrgId.require(entry.org());
      line = (Json.mapper().writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    Path file = fileOf(org);
    Future<Void> mine = tails.compute(org, (k, previous) ->
        (previous == null ? Future.<Void>succeededFuture() : previous)
            .transform(before -> vertx.<Void>executeBlocking(() -> {
              write(file, line);
              return null;
            }, false)));
    // forget a finished tail so the map does not keep one entry per org forever
    mine.onComplete(done -> tails.remove(org, mine));
    return mine;
  }

  @Override
  public Future<List<JournalEntry>> newestFirst(String org, int limit) {
    if (!OrgId.isValid(org)) {
      return Future.failedFuture(new IllegalArgumentException(
          "invalid organization id: use 1 to 64 letters, digits, '-' or '_'"));
    }
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1"));
    }
    Path file = fileOf(org);
    // read after the appends already asked for, so a reader sees its own writes
    Future<Void> pending = tails.getOrDefault(org, Future.succeededFuture());
    return pending.transform(ignored -> vertx.executeBlocking(() -> read(file, org, limit), false));
  }

  private Path fileOf(String org) {
    return dir.resolve(org + ".jsonl");
  }

  private void write(Path file, byte[] line) throws IOException {
    Files.createDirectories(dir);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer buf = ByteBuffer.wrap(line);
      if (size > 0 && !endsWithNewline(ch, size)) {
        // the last line was torn by a crash: end it, so it stays one unreadable line on its own
        ByteBuffer joined = ByteBuffer.allocate(line.length + 1);
        joined.put(NEWLINE).put(line).flip();
        buf = joined;
      }
      long pos = size;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(false);
    }
  }

  private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    ch.read(last, size - 1);
    return last.get(0) == NEWLINE;
  }

  private static List<JournalEntry> read(Path file, String org, int limit) throws IOException {
    Deque<JournalEntry> newest = new ArrayDeque<>(Math.min(limit, 1024));
    int skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
}
