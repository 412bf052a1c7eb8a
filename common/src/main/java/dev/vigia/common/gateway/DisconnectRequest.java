package dev.vigia.common.gateway;

/** Close the connection and keep the credentials; the session goes {@code STOPPED}. */
public record DisconnectRequest(String org, String actor) {
  public static final String ADDRESS = GatewayAddresses.DISCONNECT;
}
