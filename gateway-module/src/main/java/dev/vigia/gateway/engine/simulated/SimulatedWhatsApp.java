package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fake WhatsApp service behind every {@link SimulatedEngine} of one JVM: it knows which linked
 * devices it has removed, which are online (a second connection with the same device evicts the
 * first with 440, as the real service does), whether the network is up, and every message it was
 * asked to deliver. The devices live in this JVM, or, in cluster mode, in a simulated WhatsApp
 * that every node shares ({@link #shared}), so a second node logging in with the same credentials
 * gets the 440 too. Deterministic when given a seed (tests); otherwise each process draws its own,
 * so QR codes and keys never repeat across restarts, as with the real service. Thread-safe,
 * because engines of different verticles may share it.
 */
public final class SimulatedWhatsApp {

  /** A message the service accepted, as a test reads it back. */
  public record SentMessage(String org, String id, String from, String to, String text, Instant at) {}

  /** What the service can do to a live connection. */
  interface Connection {
    /** The connection ends with this cause (delivered on the connection's own context). */
    void drop(Cause cause);

    /** The device online through this connection, or null. */
    String deviceJid();
  }

  private static final String PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

  private final Random random;
  private final Devices devices;
  private final Set<Connection> connections = new LinkedHashSet<>();
  private final Map<String, List<SentMessage>> sent = new HashMap<>();
  private boolean networkUp = true;
  private long messageCounter;

  public SimulatedWhatsApp() {
    this(new java.security.SecureRandom().nextLong());
  }

  public SimulatedWhatsApp(long seed) {
    this(new Random(seed), new LocalDevices());
  }

  private SimulatedWhatsApp(Random random, Devices devices) {
    this.random = random;
    this.devices = devices;
  }

  /**
   * A simulated WhatsApp whose devices live in the shared one at {@code hostPort}
   * ({@code VIGIA_SIM_WHATSAPP}, a {@link SharedWhatsAppServer}): what each node of a cluster uses.
   */
  public static SimulatedWhatsApp shared(Vertx vertx, String hostPort) {
    return new SimulatedWhatsApp(new Random(new java.security.SecureRandom().nextLong()),
        new SharedWhatsAppClient(vertx, hostPort));
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
  Future<String> link(String phoneNumber) {
    return devices.link(phoneNumber);
  }

  /** The phone (or WhatsApp) removes this device: its credentials get 401 from now on. */
  public Future<Void> removeDevice(String deviceJid) {
    return devices.remove(deviceJid);
  }

  /** Whether the phone still lists this device. */
  public Future<Boolean> isLinked(String deviceJid) {
    return devices.isLinked(deviceJid);
  }

  public synchronized boolean isNetworkUp() {
    return networkUp;
  }

  /** Network down drops every connection of this process; new ones fail until it is up again. */
  public void setNetworkUp(boolean up) {
    List<Connection> dropped;
    synchronized (this) {
      networkUp = up;
      if (up) {
        return;
      }
      dropped = new ArrayList<>(connections);
      connections.clear();
    }
    dropped.forEach(c -> {
      devices.logoff(c.deviceJid(), c);
      c.drop(Cause.networkDown());
    });
  }

  synchronized void attach(Connection connection) {
    connections.add(connection);
  }

  /** The connection ended: completes once WhatsApp no longer has the device online through it. */
  Future<Void> detach(Connection connection, String deviceJid) {
    synchronized (this) {
      connections.remove(connection);
    }
    return devices.logoff(deviceJid, connection);
  }

  /**
   * The device comes online; whoever held it before is evicted with 440. False: the phone
   * removed this device (401).
   */
  Future<Boolean> login(String deviceJid, Connection connection) {
    return devices.login(deviceJid, connection);
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

  /** Closes the link to a shared simulated WhatsApp (nothing to do for one inside this JVM). */
  public Future<Void> close() {
    return devices.close();
  }
}
