package dev.vigia.common.monitor;

/** Daily usage of one org for the last {@code days} days (1..366), today included. */
public record StatsQuery(String org, int days) {
  public static final String ADDRESS = MonitorAddresses.STATS;
}
