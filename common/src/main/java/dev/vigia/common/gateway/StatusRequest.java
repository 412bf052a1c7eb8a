package dev.vigia.common.gateway;

/** One org's {@code SessionView}. */
public record StatusRequest(String org) {
  public static final String ADDRESS = GatewayAddresses.STATUS;
}
