package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The devices of a simulated WhatsApp inside this JVM (one process, or engines sharing it in tests). */
final class LocalDevices implements Devices {

  private final Set<String> removed = new HashSet<>();
  private final Map<String, Integer> devicesByPhone = new HashMap<>();
  private final Map<String, SimulatedWhatsApp.Connection> online = new HashMap<>();
  private int conflicts;

  @Override
  public synchronized Future<String> link(String phoneNumber) {
    int device = devicesByPhone.merge(phoneNumber, 1, Integer::sum);
    return Future.succeededFuture(phoneNumber + ":" + device + "@s.whatsapp.net");
  }

  @Override
  public Future<Boolean> login(String deviceJid, SimulatedWhatsApp.Connection connection) {
    SimulatedWhatsApp.Connection older;
    synchronized (this) {
      // devices linked before this JVM started are accepted: the real service outlives us
      if (deviceJid == null || removed.contains(deviceJid)) {
        return Future.succeededFuture(false);
      }
      older = online.put(deviceJid, connection);
      if (older == connection) {
        older = null;
      } else if (older != null) {
        conflicts++;
      }
    }
    if (older != null) {
      // 440: another client holds these credentials
      older.drop(Cause.conflict());
    }
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> logoff(String deviceJid, SimulatedWhatsApp.Connection connection) {
    if (deviceJid != null) {
      online.remove(deviceJid, connection);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> isLinked(String deviceJid) {
    return Future.succeededFuture(deviceJid != null && !removed.contains(deviceJid));
  }

  @Override
  public synchronized Future<Void> remove(String deviceJid) {
    removed.add(deviceJid);
    return Future.succeededFuture();
  }

  /** How many times a login evicted another connection with 440. */
  synchronized int conflicts() {
    return conflicts;
  }
}
