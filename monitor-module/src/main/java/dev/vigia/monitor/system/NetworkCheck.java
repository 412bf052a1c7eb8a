package dev.vigia.monitor.system;

import dev.vigia.common.monitor.SystemHealth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * "Check the network" of the old runbook: does WhatsApp's address ({@code VIGIA_NETWORK_TARGET},
 * {@code web.whatsapp.com:443}) resolve, and does it accept a TCP connection? Nothing is sent on
 * the connection. Blocking (a name lookup, a connect of at most {@code timeoutMs}): run it on a
 * worker.
 */
public final class NetworkCheck {

  public static final int TIMEOUT_MS = 5_000;

  private final String host;
  private final int port;
  private final int timeoutMs;

  /** {@code host} null: the check is off ({@code VIGIA_NETWORK_TARGET=off}). */
  public NetworkCheck(String host, int port, int timeoutMs) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  public SystemHealth.Network run(Instant now) {
    if (host == null) {
      return new SystemHealth.Network(SystemHealth.UNKNOWN, null,
          "the network check is off (VIGIA_NETWORK_TARGET=off)", null, now);
    }
    String target = host + ":" + port;
    long started = System.nanoTime();
    InetAddress address;
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      address = InetAddress.getByName(bare);
    } catch (UnknownHostException | SecurityException e) {
      return down(target, "cannot resolve " + bare + " (DNS): check the server's DNS settings"
          + " and its network", started, now);
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), timeoutMs);
    } catch (IOException e) {
      return down(target, bare + " (" + address.getHostAddress() + ") does not accept a"
          + " connection on port " + port + " (" + e.getMessage() + "): check the server's"
          + " network, firewall or proxy", started, now);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new SystemHealth.Network(SystemHealth.UP, target, bare + " (" + address.getHostAddress()
        + ") accepts connections on port " + port + " (" + millis + " ms)", millis, now);
  }

  private static SystemHealth.Network down(String target, String detail, long started,
      Instant now) {
    return new SystemHealth.Network(SystemHealth.DOWN, target, detail,
        (System.nanoTime() - started) / 1_000_000, now);
  }
}
