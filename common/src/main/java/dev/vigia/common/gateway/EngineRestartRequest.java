package dev.vigia.common.gateway;

/**
 * An operator restarts the WhatsApp engine ({@code pm2 restart whatsapp-server} of the old
 * system): every open session closes with {@code Cause.ENGINE_RESTART} and the monitor opens it
 * again once the engine is back. Replied with an {@link EngineRestartResult}.
 */
public record EngineRestartRequest(String actor, String reason) {
  public static final String ADDRESS = GatewayAddresses.RESTART_ENGINE;
}
