package dev.vigia.common.gateway;

/** Send a text; the same {@code idempotencyKey} twice sends once. */
public record SendRequest(String org, String to, String text, String idempotencyKey) {
  public static final String ADDRESS = GatewayAddresses.SEND;
}
