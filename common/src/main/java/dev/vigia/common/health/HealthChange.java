package dev.vigia.common.health;

import java.time.Instant;

/** The monitor's view of one org's health changed; published on {@link #ADDRESS}. */
public record HealthChange(String org, String status, String reason, Instant at) {

  public static final String ADDRESS = "vigia.monitor.health";

  public static final String OK = "ok";
  public static final String DEGRADED = "degraded";
  public static final String DOWN = "down";
}
