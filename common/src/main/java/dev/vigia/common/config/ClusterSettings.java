package dev.vigia.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster mode (issue 11): whether this process is one node of several, its name, where its
 * Hazelcast member listens and which members it joins (TCP on given addresses, never multicast),
 * and the timings of its session leases. Read by {@link VigiaConfig} from the {@code VIGIA_CLUSTER*}
 * and {@code VIGIA_NODE_ID} variables; {@code enabled=false} leaves every other field at its default.
 *
 * @param busPort the event bus' own TCP port (0: any free port; the members learn it through
 *     Hazelcast)
 * @param members {@code host:port} of the Hazelcast members to join (this node may be one of them)
 * @param leaseMillis how long a claimed or renewed lease lasts, by the database's clock
 * @param renewMillis how often the owner renews
 * @param stopMarginMillis a node that could not renew stops its sessions this long before the
 *     lease can end (by its own monotonic clock), so nobody else claims a session still running
 */
public record ClusterSettings(boolean enabled, String nodeId, String host, int port, int busPort,
    List<String> members, long leaseMillis, long renewMillis, long stopMarginMillis) {

  /** A node id is part of event-bus addresses ({@code vigia.gateway.node.<id>.…}): no dots. */
  public static final String NODE_ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

  static void defaults(Map<String, String> d) {
    d.put("VIGIA_CLUSTER", "false");
    d.put("VIGIA_NODE_ID", null);
    d.put("VIGIA_CLUSTER_HOST", "127.0.0.1");
    d.put("VIGIA_CLUSTER_PORT", "5701");
    d.put("VIGIA_CLUSTER_BUS_PORT", "0");
    d.put("VIGIA_CLUSTER_MEMBERS", null);
    d.put("VIGIA_CLUSTER_LEASE_MS", "15000");
    d.put("VIGIA_CLUSTER_RENEW_MS", "5000");
    d.put("VIGIA_CLUSTER_STOP_MARGIN_MS", "3000");
  }

  static ClusterSettings parse(Map<String, String> v) {
    boolean enabled = VigiaConfig.bool(v, "VIGIA_CLUSTER");
    String nodeId = v.get("VIGIA_NODE_ID");
    if (nodeId != null && !nodeId.matches(NODE_ID_PATTERN)) {
      throw new ConfigException("VIGIA_NODE_ID: use 1 to 64 letters, digits, _ or -");
    }
    String host = v.get("VIGIA_CLUSTER_HOST");
    if (!host.matches("[A-Za-z0-9.:_-]{1,253}")) {
      throw new ConfigException("VIGIA_CLUSTER_HOST=" + host + " is not a host name or address");
    }
    int port = VigiaConfig.intIn(v, "VIGIA_CLUSTER_PORT", 1, 65535);
    int busPort = VigiaConfig.intIn(v, "VIGIA_CLUSTER_BUS_PORT", 0, 65535);
    List<String> members = members(v.get("VIGIA_CLUSTER_MEMBERS"));
    long lease = VigiaConfig.intIn(v, "VIGIA_CLUSTER_LEASE_MS", 1000, 600_000);
    long renew = VigiaConfig.intIn(v, "VIGIA_CLUSTER_RENEW_MS", 100, 300_000);
    long margin = VigiaConfig.intIn(v, "VIGIA_CLUSTER_STOP_MARGIN_MS", 100, 300_000);
    if (2 * renew + margin > lease) {
      // two renewals may fail (a database restart) before the node must stop on its own
      throw new ConfigException("VIGIA_CLUSTER_LEASE_MS=" + lease + " must be at least twice"
          + " VIGIA_CLUSTER_RENEW_MS plus VIGIA_CLUSTER_STOP_MARGIN_MS (" + (2 * renew + margin) + ")");
    }
    if (enabled) {
      if (nodeId == null) {
        throw new ConfigException("VIGIA_NODE_ID must be set when VIGIA_CLUSTER=true"
            + " (a name unique to this node, e.g. node-1)");
      }
      if (members.isEmpty()) {
        throw new ConfigException("VIGIA_CLUSTER_MEMBERS must be set when VIGIA_CLUSTER=true"
            + " (host:port of the members to join, comma-separated)");
      }
    }
    return new ClusterSettings(enabled, nodeId, host, port, busPort, members, lease, renew,
        margin);
  }

  private static List<String> members(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split(",")) {
      String member = part.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      boolean ok = colon > 0 && member.substring(0, colon).matches("[A-Za-z0-9._-]{1,253}");
      if (ok) {
        try {
          int p = Integer.parseInt(member.substring(colon + 1));
          ok = p >= 1 && p <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ConfigException("VIGIA_CLUSTER_MEMBERS: '" + member + "' is not host:port");
      }
      out.add(member);
    }
    return List.copyOf(out);
  }

  void into(Map<String, String> m) {
    m.put("VIGIA_CLUSTER", String.valueOf(enabled));
    m.put("VIGIA_NODE_ID", nodeId);
    m.put("VIGIA_CLUSTER_HOST", host);
    m.put("VIGIA_CLUSTER_PORT", String.valueOf(port));
    m.put("VIGIA_CLUSTER_BUS_PORT", String.valueOf(busPort));
    m.put("VIGIA_CLUSTER_MEMBERS", String.join(",", members));
    m.put("VIGIA_CLUSTER_LEASE_MS", String.valueOf(leaseMillis));
    m.put("VIGIA_CLUSTER_RENEW_MS", String.valueOf(renewMillis));
    m.put("VIGIA_CLUSTER_STOP_MARGIN_MS", String.valueOf(stopMarginMillis));
  }
}
