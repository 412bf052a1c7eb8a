package dev.vigia.common.cluster;

/** A claim refused: another node (or an earlier run of this one) holds the org's lease. */
public final class LeaseHeldException extends RuntimeException {

  private final String org;
  private final String owner;

  public LeaseHeldException(String org, String owner) {
    super("organization " + org + " is held by " + (owner == null ? "another claim" : "node " + owner));
    this.org = org;
    this.owner = owner;
  }

  public String org() {
    return org;
  }

  /** The node holding it, or null when the holder's lease ended meanwhile (claim again). */
  public String owner() {
    return owner;
  }
}
