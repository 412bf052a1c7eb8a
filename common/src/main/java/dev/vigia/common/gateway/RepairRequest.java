package dev.vigia.common.gateway;

/** Reset one contact's Signal session (its {@code session-…} keys); the login stays. */
public record RepairRequest(String org, String contact, String reason) {
  public static final String ADDRESS = GatewayAddresses.REPAIR;
}
