package dev.vigia.gateway;

/** A request the gateway refuses, with its {@code Failure} code and a message safe to show. */
public final class GatewayFailure extends RuntimeException {

  private final int code;

  public GatewayFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
