package dev.vigia.common.gateway;

/**
 * The gateway's answer to {@link ReadinessQuery} ({@code GET /health/ready}). A detail says what
 * failed, in words an operator understands; {@code null} when that part is fine.
 * {@code restoring} is the progress of reopening the sessions that were connected before the
 * start ({@code "restoring 120/2000"}), {@code null} once done: the gateway serves meanwhile, so
 * it does not make the gateway unready.
 */
public record Readiness(boolean storeOk, String storeDetail, boolean engineOk,
    String engineDetail, String restoring) {

  /** A readiness with nothing left to restore. */
  public Readiness(boolean storeOk, String storeDetail, boolean engineOk, String engineDetail) {
    this(storeOk, storeDetail, engineOk, engineDetail, null);
  }

  public boolean ready() {
    return storeOk && engineOk;
  }
}
