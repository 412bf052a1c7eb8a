package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fake WhatsApp service behind every {@link SimulatedEngine} of one JVM: it knows which linked
 * devices it has removed, which are online (a second connection with the same device evicts the
 * first with 440, as the real service does), whether the network is up, and every message it was
 * asked to deliver. Deterministic when given a seed (tests); otherwise each process draws its own,
 * so QR codes and keys never repeat across restarts, as with the real service. Thread-safe, because
 * engines of different verticles may share it.
 */
public final class SimulatedWhatsApp {

  /** A message the service accepted, as a test reads it back. */
  public record SentMessage(String org, String id, String from, String to, String text, Instant at) {}

  /** What the service can do to a live connection. */
  interface Connection {
    /** The connection ends with this cause (delivered on the connection's own context). */
    void drop(Cause cause);
  }

  private static final String PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

  private final Random random;
  private final Set<String> removedDevices = new HashSet<>();
  private final Map<String, Integer> devicesByPhone = new HashMap<>();
  private final Map<String, Connection> onlineByDevice = new HashMap<>();
  private final Set<Connection> connections = new LinkedHashSet<>();
  private final Map<String, List<SentMessage>> sent = new HashMap<>();
  private boolean networkUp = true;
  private long messageCounter;

  public SimulatedWhatsApp() {
    this(new java.security.SecureRandom().nextLong());
  }

  public SimulatedWhatsApp(long seed) {
    this.random = new Random(seed);
  }

  public synchronized byte[] randomBytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  /** An 8-character pairing code without look-alike characters (no 0/O, 1/I/L). */
  public synchronized String pairingCode() {
    StringBuilder code = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      code.append(PAIRING_ALPHABET.charAt(random.nextInt(PAIRING_ALPHABET.length())));
    }
    return code.toString();
  }

  /** A phone links a new device: its jid, {@code <number>:<device>@s.whatsapp.net}. */
  public synchronized String link(String phoneNumber) {
    int device = devicesByPhone.merge(phoneNumber, 1, Integer::sum);
    return phoneNumber + ":" + device + "@s.whatsapp.net";
  }

  /**
   * Linked devices it never removed are accepted, also ones linked before this JVM started (the
   * real service outlives our process).
   */
  public synchronized boolean isLinked(String deviceJid) {
    return deviceJid != null && !removedDevices.contains(deviceJid);
  }

  /** The phone (or WhatsApp) removes this device: its credentials get 401 from now on. */
  public synchronized void removeDevice(String deviceJid) {
    removedDevices.add(deviceJid);
  }

  public synchronized boolean isNetworkUp() {
    return networkUp;
  }

  /** Network down drops every connection; new ones fail until it is up again. */
  public void setNetworkUp(boolean up) {
    List<Connection> dropped;
    synchronized (this) {
      networkUp = up;
      if (up) {
        return;
      }
      dropped = new ArrayList<>(connections);
      connections.clear();
      onlineByDevice.clear();
    }
    dropped.forEach(c -> c.drop(Cause.networkDown()));
  }

  synchronized void attach(Connection connection) {
    connections.add(connection);
  }

  synchronized void detach(Connection connection, String deviceJid) {
    connections.remove(connection);
    if (deviceJid != null) {
      onlineByDevice.remove(deviceJid, connection);
    }
  }

  /** The device comes online; whoever held it before is evicted with 440. */
  void goOnline(String deviceJid, Connection connection) {
    Connection older;
    synchronized (this) {
      older = onlineByDevice.put(deviceJid, connection);
      if (older != null && older != connection) {
        connections.remove(older);
      }
    }
    if (older != null && older != connection) {
      // 440: another client holds these credentials
      older.drop(Cause.conflict());
    }
  }

  synchronized SentMessage deliver(String org, String from, String to, String text, Instant at) {
    String id = "3EB0" + String.format("%012X", ++messageCounter);
    SentMessage message = new SentMessage(org, id, from, to, text, at);
    sent.computeIfAbsent(org, k -> new ArrayList<>()).add(message);
    return message;
  }

  /** Messages delivered for one org, oldest first. */
  public synchronized List<SentMessage> sentMessages(String org) {
    return List.copyOf(sent.getOrDefault(org, List.of()));
  }
}
