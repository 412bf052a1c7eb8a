package dev.vigia.common.gateway;

/** Close, move the auth state to the archive, and go {@code STOPPED}; never destroys. */
public record ClearRequest(String org, String actor, String reason) {
  public static final String ADDRESS = GatewayAddresses.CLEAR;
}
