package dev.vigia.common.gateway;

/** Is the gateway ready to serve: can its store write and does its engine answer? */
public record ReadinessQuery() {
  public static final String ADDRESS = GatewayAddresses.READY;
}
