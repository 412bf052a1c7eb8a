package dev.vigia.common.gateway;

/**
 * The gateway's answer to {@link ReadinessQuery} ({@code GET /health/ready}). A detail says what
 * failed, in words an operator understands; {@code null} when that part is fine.
 */
public record Readiness(boolean storeOk, String storeDetail, boolean engineOk,
    String engineDetail) {

  public boolean ready() {
    return storeOk && engineOk;
  }
}
