package dev.vigia.common.gateway;

/**
 * Removes an org's session record, so it disappears from {@code list}. Refused with 409 while the
 * session is live or still holds auth state (clear it to the archive first). Replies {@code {}}.
 */
public record ForgetRequest(String org, String actor) {
  public static final String ADDRESS = GatewayAddresses.FORGET;
}
