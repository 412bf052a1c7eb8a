package dev.vigia.monitor.stats;

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

  /** The stats file: {@code {org, days: {"2026-11-28": {sent, failed, reconnects}}}}. */
  public record Snapshot(String org, Map<LocalDate, Counts> days) {}

  private final String org;
  private final TreeMap<LocalDate, long[]> days = new TreeMap<>();

  public DailyStats(String org) {
    this.org = org;
  }

  public static DailyStats of(Snapshot snapshot) {
    DailyStats s = new DailyStats(snapshot.org());
    if (snapshot.days() != null) {
      snapshot.days().forEach((day, c) ->
          s.days.put(day, new long[] {c.sent(), c.failed(), c.reconnects()}));
    }
    return s;
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
    days.computeIfAbsent(day, d -> new long[3])[which]++;
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

  public Snapshot snapshot() {
    Map<LocalDate, Counts> m = new TreeMap<>();
    days.forEach((d, c) -> m.put(d, new Counts(c[0], c[1], c[2])));
    return new Snapshot(org, m);
  }
}
