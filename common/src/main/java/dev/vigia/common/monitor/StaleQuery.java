package dev.vigia.common.monitor;

/** What the stale-session reaper would archive now (dry run). */
public record StaleQuery() {
  public static final String ADDRESS = MonitorAddresses.STALE;
}
