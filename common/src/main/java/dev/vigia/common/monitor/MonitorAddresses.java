package dev.vigia.common.monitor;

/** Request/reply addresses the monitor serves, besides {@code JournalQuery.ADDRESS}. */
public final class MonitorAddresses {

  /** {@link HealthQuery} → {@link SessionHealth}. */
  public static final String HEALTH = "vigia.monitor.health.query";
  /** {@link StatsQuery} → {@link StatsPage}. */
  public static final String STATS = "vigia.monitor.stats";
  /** {@link StaleQuery} → {@link StaleList}: what the reaper would archive (dry run). */
  public static final String STALE = "vigia.monitor.stale";
  /** {@link SystemQuery} → {@link SystemHealth}: the data dir's disk and WhatsApp's address. */
  public static final String SYSTEM = "vigia.monitor.system.query";

  private MonitorAddresses() {}
}
