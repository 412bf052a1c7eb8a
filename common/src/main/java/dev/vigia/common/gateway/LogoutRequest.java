package dev.vigia.common.gateway;

/** Unlink this device from the phone and archive the credentials. */
public record LogoutRequest(String org, String actor, String reason) {
  public static final String ADDRESS = GatewayAddresses.LOGOUT;
}
