package dev.vigia.common.gateway;

/** Failure codes of request/reply on the bus; the HTTP layer maps them to the same statuses. */
public final class Failure {

  public static final int BAD_INPUT = 400;
  public static final int NOT_ALLOWED = 403;
  public static final int UNKNOWN = 404;
  public static final int WRONG_STATE = 409;
  /**
   * Cluster mode: this node does not own the org (it lost or never held its lease); nothing was
   * done. HTTP 421 Misdirected Request, code {@code not_owner}: asking again reaches the owner.
   */
  public static final int NOT_OWNER = 421;
  public static final int UNAVAILABLE = 503;

  private Failure() {}
}
