package dev.vigia.monitor.stats;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.storage.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily stats on disk: one snapshot per org ({@code stats/<org>.json}, written atomically) plus
 * an append-only counter log ({@code stats/counts.log}, one numbered JSON line per org and day
 * of a batch, fsynced). A count is durable once its log line is; compaction folds the log into
 * the snapshots, each saying up to which line ({@code through}) it holds, and then empties the
 * log, so a crash between the two never counts a line twice. Blocking: call from a worker, one
 * call at a time.
 */
public final class StatsStore implements AutoCloseable {

  public static final String FOLDER = "stats";
  /** Not a possible {@code <org>.json}: an org id has no dot. */
  static final String LOG = "counts.log";
  private static final String SUFFIX = ".json";
  private static final byte NEWLINE = '\n';
  private static final Logger log = LoggerFactory.getLogger(StatsStore.class);

  /** One log line: counts added to one org's day, numbered in write order. */
  public record Line(long n, String org, LocalDate day, long sent, long failed, long reconnects) {}

  /**
   * What {@link #load()} found; {@code unfolded}: orgs whose replayed lines are still only in the
   * log (folding failed), which the next compaction must write.
   */
  public record Loaded(Map<String, DailyStats> stats, long lastLine, int sweptTemps,
      int replayedLines, Set<String> unfolded) {}

  private final Path dir;
  private final Path logFile;
  private FileChannel channel;

  public StatsStore(Path dataDir) {
    this.dir = dataDir.resolve(FOLDER);
    this.logFile = dir.resolve(LOG);
  }

  /**
   * Sweeps temp files a crash left, reads the snapshots, replays the log lines they do not hold
   * yet, and compacts what it replayed. Call once, before anything else.
   */
  public Loaded load() throws IOException {
    int swept = AtomicFiles.sweepTemps(dir);
    Map<String, DailyStats> stats = new HashMap<>();
    Map<String, Long> through = new HashMap<>();
    long last = 0;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          if (!name.endsWith(SUFFIX)
              || !OrgId.isValid(name.substring(0, name.length() - SUFFIX.length()))) {
            continue;
          }
          try {
            DailyStats.Snapshot s = Json.mapper().readValue(Files.readAllBytes(file),
                DailyStats.Snapshot.class);
            stats.put(s.org(), DailyStats.of(s));
            through.put(s.org(), s.throughOrZero());
            last = Math.max(last, s.throughOrZero());
          } catch (IOException e) {
            // one unreadable file loses that org's history, not everyone's
            log.warn("skipping unreadable stats file {}: {}", file, e.getMessage());
          }
        }
      }
    }
    long[] lastApplied = {0};
    Map<String, DailyStats> replayed = new HashMap<>();
    int lines = replay(line -> {
      // a line written twice (a batch retried after a failed fsync) has the same number
      if (line.n() <= lastApplied[0] || line.n() <= through.getOrDefault(line.org(), 0L)) {
        return false;
      }
      lastApplied[0] = line.n();
      DailyStats s = stats.computeIfAbsent(line.org(), DailyStats::new);
      s.add(line.day(), line.sent(), line.failed(), line.reconnects());
      replayed.put(line.org(), s);
      return true;
    });
    last = Math.max(last, lastApplied[0]);
    Set<String> unfolded = Set.of();
    if (lines > 0) {
      long upTo = last;
      try {
        compact(replayed.values().stream().map(s -> s.snapshot(upTo)).toList());
      } catch (IOException e) {
        unfolded = Set.copyOf(replayed.keySet());
        // the log still holds the lines: they are replayed again, and folded by a later write
        log.warn("stats log could not be folded into the files at start: {}", e.toString());
      }
    }
    return new Loaded(stats, last, swept, lines, unfolded);
  }

  /** Appends {@code lines} to the log and fsyncs it: once this returns, they are durable. */
  public void append(List<Line> lines) throws IOException {
    StringBuilder text = new StringBuilder(lines.size() * 96);
    for (Line line : lines) {
      text.append(Json.mapper().writeValueAsString(line)).append('\n');
    }
    try {
      FileChannel ch = logChannel();
      ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      long pos = ch.size();
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(false);
    } catch (IOException | RuntimeException e) {
      // reopened next time, which ends a line this write may have torn
      close();
      throw e;
    }
  }

  /** Writes the snapshots (each holding the log up to its {@code through}), then empties the log. */
  public void compact(List<DailyStats.Snapshot> snapshots) throws IOException {
    for (DailyStats.Snapshot s : snapshots) {
      AtomicFiles.write(dir.resolve(OrgId.require(s.org()) + SUFFIX),
          Json.mapper().writeValueAsBytes(s));
    }
    if (Files.exists(logFile)) {
      FileChannel ch = logChannel();
      ch.truncate(0);
      ch.force(true);
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("closing {}: {}", logFile, e.getMessage());
      }
      channel = null;
    }
  }

  private FileChannel logChannel() throws IOException {
    if (channel == null) {
      Files.createDirectories(dir);
      boolean created = !Files.exists(logFile);
      FileChannel ch = FileChannel.open(logFile, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.READ);
      long size = ch.size();
      if (size > 0 && !endsWithNewline(ch, size)) {
        // a torn last line stays one unreadable line on its own
        ch.write(ByteBuffer.wrap(new byte[] {NEWLINE}), size);
      }
      if (created) {
        AtomicFiles.fsyncDirectory(dir);
      }
      channel = ch;
    }
    return channel;
  }

  private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    ch.read(last, size - 1);
    return last.get(0) == NEWLINE;
  }

  /** Feeds every readable log line, in file order; returns how many were applied. */
  private int replay(Predicate<Line> apply) throws IOException {
    if (!Files.isRegularFile(logFile)) {
      return 0;
    }
    int applied = 0;
    int torn = 0;
    try (BufferedReader in = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        if (text.isBlank()) {
          continue;
        }
        Line line;
        try {
          line = Json.mapper().readValue(text, Line.class);
        } catch (IOException e) {
          torn++; // cut by a crash before its fsync: it was never durable
          continue;
        }
        if (OrgId.isValid(line.org()) && line.day() != null && apply.test(line)) {
          applied++;
        }
      }
    }
    if (torn > 0) {
      log.warn("stats log: skipped {} torn line(s) (a crash while writing)", torn);
    }
    return applied;
  }
}
