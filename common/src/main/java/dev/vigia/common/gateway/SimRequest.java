package dev.vigia.common.gateway;

/**
 * Drives the simulated WhatsApp: {@code action} {@code scan} (a phone scans the QR) or
 * {@code fault} with a {@code kind} ({@code connection_lost}, {@code conflict}, {@code bad_mac}, …),
 * an optional {@code contact} and {@code count}.
 */
public record SimRequest(String org, String action, String kind, String contact, Integer count) {
  public static final String ADDRESS = GatewayAddresses.SIM;
  public static final String SCAN = "scan";
  public static final String FAULT = "fault";
}
