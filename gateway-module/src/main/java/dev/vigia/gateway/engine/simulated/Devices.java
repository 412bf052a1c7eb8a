package dev.vigia.gateway.engine.simulated;

import io.vertx.core.Future;

/**
 * Where the simulated WhatsApp keeps linked devices and who is online with each: inside this JVM
 * ({@link LocalDevices}), or in a simulated WhatsApp that several processes share
 * ({@link SharedWhatsAppClient}, cluster mode), so that two processes logging in with the same
 * credentials get the 440 conflict as they would from the real service.
 */
interface Devices {

  /** A phone links a new device: its jid, {@code <number>:<device>@s.whatsapp.net}. */
  Future<String> link(String phoneNumber);

  /**
   * The device comes online on {@code connection}: false when the phone removed it (401). Whoever
   * held it before is evicted with 440, as the real service does.
   */
  Future<Boolean> login(String deviceJid, SimulatedWhatsApp.Connection connection);

  /**
   * The connection ended; the device is no longer online through it once the future completes
   * (cluster mode: another process may log it in from then on without a 440).
   */
  Future<Void> logoff(String deviceJid, SimulatedWhatsApp.Connection connection);

  /** Whether the phone still lists this device (it never removed it). */
  Future<Boolean> isLinked(String deviceJid);

  /** The phone (or WhatsApp) removes this device: its credentials get 401 from now on. */
  Future<Void> remove(String deviceJid);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
