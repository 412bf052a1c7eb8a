package dev.vigia.common.gateway;

/** Every session the gateway knows; replied with a {@link SessionList}. */
public record ListRequest() {
  public static final String ADDRESS = GatewayAddresses.LIST;
}
