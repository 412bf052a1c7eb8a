package dev.vigia.common.monitor;

import dev.vigia.common.SessionState;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/sessions/{org}/health}: {@code status} is {@code ok}, {@code degraded} or
 * {@code down}; each check says what it looked at.
 */
public record SessionHealth(
    String org,
    String status,
    SessionState state,
    long secondsInState,
    Instant lastActivityAt,
    Long keepAliveAgeSeconds,
    double decryptFailuresPerHour,
    boolean credsReadable,
    List<Check> checks) {

  public static final String OK = "ok";
  public static final String DEGRADED = "degraded";
  public static final String DOWN = "down";

  /** One check: {@code name}, its {@code status} (ok/degraded/down) and a sentence. */
  public record Check(String name, String status, String message) {}
}
