package dev.vigia.common.gateway;

/**
 * Request/reply addresses the gateway serves (DESIGN §4). Failures come back as
 * {@code ReplyException} with one of the {@link Failure} codes.
 */
public final class GatewayAddresses {

  public static final String CONNECT = "vigia.gateway.connect";
  public static final String DISCONNECT = "vigia.gateway.disconnect";
  public static final String LOGOUT = "vigia.gateway.logout";
  public static final String CLEAR = "vigia.gateway.clear";
  public static final String STATUS = "vigia.gateway.status";
  public static final String LIST = "vigia.gateway.list";
  public static final String SEND = "vigia.gateway.send";
  public static final String REPAIR = "vigia.gateway.repair";
  /** The monitor records a decision: RECONNECTING with the next attempt, FAILED, STOPPED. */
  public static final String SETTLE = "vigia.gateway.settle";
  /** Simulated engine only: a phone scans, or a fault is injected. */
  public static final String SIM = "vigia.gateway.sim";
  /** The stale-session reaper removes an archived, idle org from the list. */
  public static final String FORGET = "vigia.gateway.forget";
  /** Archives older than the retention ({@code archiveDays}) are deleted. */
  public static final String PURGE_ARCHIVES = "vigia.gateway.purge-archives";
  /** An org's archived auth states (undo a clear). */
  public static final String ARCHIVES = "vigia.gateway.archives";
  /** One archived auth state back as the org's, when it has none, and the session started. */
  public static final String RESTORE = "vigia.gateway.restore";
  /** Readiness: the store writes, reads and deletes a probe; the engine answers. */
  public static final String READY = "vigia.gateway.ready";

  private GatewayAddresses() {}
}
