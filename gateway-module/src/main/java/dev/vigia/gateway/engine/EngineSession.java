package dev.vigia.gateway.engine;

import dev.vigia.common.gateway.SendReceipt;
import io.vertx.core.Future;

/** One org's connection inside an engine. After {@link #close()} it sends no more events. */
public interface EngineSession {

  /**
   * Connects: with linked credentials the listener then sees {@code onOpen}; without, a QR
   * ({@code onQr}) or, when {@code pairingPhone} is given, a pairing code ({@code onPairingCode}).
   */
  Future<Void> start(String pairingPhone);

  Future<SendReceipt> send(String to, String text, String idempotencyKey);

  /** Unlinks this device from the phone, then closes. */
  Future<Void> logout();

  /** Closes the connection; keeps the credentials. */
  Future<Void> close();
}
