package dev.vigia.common.gateway;

/**
 * Open the org's session. {@code method} is {@code qr} (default) or {@code pairing_code} with a
 * {@code phone}; {@code takeover} is a person's decision to end a {@code CONFLICT}.
 *
 * <p>{@code forSeq}: a reconnect the monitor decided for one state ({@code seq}) of the session;
 * the gateway refuses it with 409 when the session has changed since. People's connects carry
 * {@code null} (they always apply to the state they see now).
 */
public record ConnectRequest(String org, String method, String phone, boolean takeover,
    String actor, Long forSeq) {
  public static final String ADDRESS = GatewayAddresses.CONNECT;
  public static final String QR = "qr";
  public static final String PAIRING_CODE = "pairing_code";

  public ConnectRequest(String org, String method, String phone, boolean takeover, String actor) {
    this(org, method, phone, takeover, actor, null);
  }
}
