package dev.vigia.common.monitor;

import java.time.LocalDate;
import java.util.List;

/** {@code GET /api/sessions/{org}/stats?days=}: one row per UTC day, oldest first, zeros included. */
public record StatsPage(String org, List<Day> days) {

  public record Day(LocalDate date, long sent, long failed, long reconnects) {}
}
