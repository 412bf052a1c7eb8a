package dev.vigia.common.cluster;

import io.vertx.core.eventbus.ReplyException;

/**
 * The addresses of one node's gateway in a cluster: {@code vigia.gateway.node.<nodeId>.<command>}
 * for the command {@code vigia.gateway.<command>}. A request for an org goes to its owner's
 * address, never to the plain one, which the event bus would hand to any node in turn.
 */
public final class NodeAddresses {

  static final String GATEWAY = "vigia.gateway.";

  /**
   * The failure code of "this node does not own that org": the message names the owner, or is
   * empty when nobody holds it now (HTTP's 421 Misdirected Request).
   */
  public static final int NOT_OWNER = dev.vigia.common.gateway.Failure.NOT_OWNER;

  /** This node's gateway takes an org whose lease this node just claimed (local only). */
  public static final String ADOPT = "vigia.cluster.adopt";
  /** This node's gateway stops an org's session and lets it go, writing nothing (local only). */
  public static final String RELEASE = "vigia.cluster.release";
  /**
   * An operator moves an org's session to a chosen node ({@code {"org", "node"}}, local only):
   * answered by this node's cluster part, which does not exist on a single node (no handler).
   * The reply: {@code {"org", "node", "owner", "moved"}}; a node that is not alive fails 400.
   */
  public static final String MOVE = "vigia.cluster.move";

  /**
   * The live nodes of the cluster ({@code {"self", "nodes": [...]}}, local only), for a person
   * choosing where to move a session: answered by this node's cluster part (none on a single node).
   */
  public static final String NODES = "vigia.cluster.nodes";
  /** The header naming the node whose gateway answered a routed command (its owner). */
  public static final String ANSWERED_BY = "vigia-node";

  private NodeAddresses() {}

  /** {@code vigia.gateway.connect} on node {@code n1} → {@code vigia.gateway.node.n1.connect}. */
  public static String of(String nodeId, String gatewayAddress) {
    if (!gatewayAddress.startsWith(GATEWAY)) {
      throw new IllegalArgumentException("not a gateway address: " + gatewayAddress);
    }
    return GATEWAY + "node." + nodeId + "." + gatewayAddress.substring(GATEWAY.length());
  }

  /**
   * Where a node's own gateway serves {@code gatewayAddress} in cluster mode, this node only
   * ({@code vigia.gateway.local.<command>}): the plain address is then this node's front door,
   * which sends each command to the org's owner.
   */
  public static String local(String gatewayAddress) {
    if (!gatewayAddress.startsWith(GATEWAY)) {
      throw new IllegalArgumentException("not a gateway address: " + gatewayAddress);
    }
    return GATEWAY + "local." + gatewayAddress.substring(GATEWAY.length());
  }

  static final String MONITOR = "vigia.monitor.";

  /**
   * Where a node's own monitor answers {@code monitorAddress} in cluster mode, this node only
   * ({@code vigia.monitor.local.<query>}): the plain address is then the node's door, which asks
   * the org's owner (health) or every node (stats).
   */
  public static String monitorLocal(String monitorAddress) {
    return MONITOR + "local." + monitorQuery(monitorAddress);
  }

  /** Where node {@code nodeId} answers the other nodes' {@code monitorAddress} queries. */
  public static String monitorOf(String nodeId, String monitorAddress) {
    return MONITOR + "node." + nodeId + "." + monitorQuery(monitorAddress);
  }

  private static String monitorQuery(String monitorAddress) {
    if (!monitorAddress.startsWith(MONITOR)) {
      throw new IllegalArgumentException("not a monitor address: " + monitorAddress);
    }
    return monitorAddress.substring(MONITOR.length());
  }

  /** The owner a {@link #NOT_OWNER} failure names, or null. */
  static String ownerNamedBy(ReplyException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? null : m;
  }
}
