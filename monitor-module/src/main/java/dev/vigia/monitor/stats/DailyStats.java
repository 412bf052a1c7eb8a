package dev.vigia.monitor.stats;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vigia.common.monitor.StatsPage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One org's counts per UTC day (sent, failed, reconnects), at most {@link #KEEP_DAYS} days. Not
 * thread-safe: used from the monitor's event loop.
 */
public final class DailyStats {

  public static final int KEEP_DAYS = 366;

  /** One day's counts; the shape of the stats file. */
  public record Counts(long sent, long failed, long reconnects) {}

  /**
   * The stats file: {@code {org, days: {"2026-11-28": {sent, failed, reconnects}}, through}};
   * {@code through} is the last counter-log line it includes (null in files written before the
   * log: nothing of the log is in them).
   */
  public record Snapshot(String org, Map<LocalDate, Counts> days, Long through) {

    @JsonIgnore
    public long throughOrZero() {
      return through == null ? 0 : through;
    }
  }

  private final String org;
  private final TreeMap<LocalDate, long[]> days = new TreeMap<>();

  public DailyStats(String org) {
    this.org = org;
  }

  public static DailyStats of(Snapshot snapshot) {
    DailyStats s = new DailyStats(snapshot.org());
    if (snapshot.days() != null) {
      snapshot.days().forEach((day, c) -> s.add(day, c.sent(), c.failed(), c.reconnects()));
    }
    return s;
  }

  public String org() {
    return org;
  }

  public void sent(LocalDate day) {
    add(day, 0);
  }

  public void failed(LocalDate day) {
    add(day, 1);
  }

  public void reconnect(LocalDate day) {
    add(day, 2);
  }

  private void add(LocalDate day, int which) {
    long[] one = new long[3];
    one[which] = 1;
    add(day, one[0], one[1], one[2]);
  }

  /** Adds counts to one day (replaying the counter log). */
  public void add(LocalDate day, long sent, long failed, long reconnects) {
    long[] c = days.computeIfAbsent(day, d -> new long[3]);
    c[0] += sent;
    c[1] += failed;
    c[2] += reconnects;
    while (days.size() > KEEP_DAYS) {
      days.pollFirstEntry();
    }
  }

  /** The last {@code count} days up to {@code today}, oldest first, zeros included. */
  public StatsPage page(LocalDate today, int count) {
    List<StatsPage.Day> out = new ArrayList<>(count);
    for (LocalDate d = today.minusDays(count - 1L); !d.isAfter(today); d = d.plusDays(1)) {
      long[] c = days.getOrDefault(d, new long[3]);
      out.add(new StatsPage.Day(d, c[0], c[1], c[2]));
    }
    return new StatsPage(org, out);
  }

  /** The file content, including the counter-log lines up to {@code through}. */
  public Snapshot snapshot(long through) {
    Map<LocalDate, Counts> m = new TreeMap<>();
    days.forEach((d, c) -> m.put(d, new Counts(c[0], c[1], c[2])));
    return new Snapshot(org, m, through);
  }
}
