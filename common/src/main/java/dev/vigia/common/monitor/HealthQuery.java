package dev.vigia.common.monitor;

/** One org's session health. */
public record HealthQuery(String org) {
  public static final String ADDRESS = MonitorAddresses.HEALTH;
}
