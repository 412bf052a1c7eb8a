package dev.vigia.common.cluster;

/**
 * This node does not hold the org's lease (never claimed it, or lost it): nothing was done for the
 * org, and it is no fault of the engine or the store. Answered as {@link NodeAddresses#NOT_OWNER}
 * (421, code {@code not_owner}) so a caller asks again and reaches the owner.
 */
public final class NotOwnerException extends RuntimeException {

  private final String org;

  public NotOwnerException(String org, String node) {
    super("node " + node + " does not hold the lease of organization " + org
        + "; ask again: the command goes to the node that does");
    this.org = org;
  }

  public String org() {
    return org;
  }

  /** The {@link NotOwnerException} in {@code e}'s causes, or null. */
  public static NotOwnerException in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NotOwnerException n) {
        return n;
      }
    }
    return null;
  }
}
