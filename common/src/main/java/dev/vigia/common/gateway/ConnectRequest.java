package dev.vigia.common.gateway;

/**
 * Open the org's session. {@code method} is {@code qr} (default) or {@code pairing_code} with a
 * {@code phone}; {@code takeover} is a person's decision to end a {@code CONFLICT}.
 */
public record ConnectRequest(String org, String method, String phone, boolean takeover, String actor) {
  public static final String ADDRESS = GatewayAddresses.CONNECT;
  public static final String QR = "qr";
  public static final String PAIRING_CODE = "pairing_code";
}
