package dev.vigia.app.cluster;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.cluster.ClusteredVertx;
import dev.vigia.common.cluster.LeaseHeldException;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.cluster.LeaseTable;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.cluster.NodeEndpoint;
import dev.vigia.common.cluster.OwnerDirectory;
import dev.vigia.common.cluster.OwnerRouter;
import dev.vigia.common.cluster.Ownership;
import dev.vigia.common.cluster.SessionBalancer;
import dev.vigia.common.config.ClusterSettings;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a cluster (issue 11, {@code VIGIA_CLUSTER=true}): it holds the leases of the orgs
 * whose sessions it runs, renews them, takes its share of the orgs nobody holds on a timer (those
 * of a node that died, once their leases end; new ones) and hands orgs over when the spread by
 * count says so. Deployed after the gateway, so it stops first: a graceful stop ends this node's
 * sessions, releases their leases and tells the other nodes, which take them at once.
 *
 * <p>Its gateway starts with no session and takes an org only after this node claimed its lease
 * ({@link NodeAddresses#ADOPT}); an org whose lease is lost (not renewed in time, or a write the
 * database refused) stops here at once and leaves the table, writing nothing
 * ({@link NodeAddresses#RELEASE}). Commands reach the owner through the {@link FrontDoor}.
 */
public final class ClusterNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  /** Published (cluster-wide) when a node let orgs go: the others take them now, not next round. */
  static final String REBALANCE = "vigia.cluster.rebalance";
  /** Most orgs a node hands over in one round to even the spread: each costs a reconnect. */
  static final int MAX_MOVES = 10;
  /** How long a move's answer waits for the target to own the org (then 202: still moving). */
  static final long MOVE_WAIT_MS = 10_000;
  static final long MOVE_POLL_MS = 100;
  /** States a move would interrupt for a person (the QR or code would change under their eyes). */
  static final Set<SessionState> LINKING = EnumSet.of(SessionState.STARTING,
      SessionState.QR_REQUIRED, SessionState.PAIRING_CODE);

  private final ClusterSettings settings;
  private final String self;
  private LeaseManager leases;
  private LeaseTable table;
  private NodeEndpoint endpoint;
  private FrontDoor door;
  private MonitorDoor monitorDoor;
  private StampAndFilter stamps;
  private MessageConsumer<Object> rebalance;
  private MessageConsumer<JsonObject> move;
  private MessageConsumer<JsonObject> nodes;
  private long roundTimer = -1;
  private boolean balancing;
  private boolean again;
  private boolean stopping;

  public ClusterNode(ClusterSettings settings) {
    this.settings = settings;
    this.self = settings.nodeId();
  }

  /** This node's clustered Vert.x (Hazelcast, TCP join on VIGIA_CLUSTER_MEMBERS). */
  public static Future<Vertx> vertx(ClusterSettings settings, VertxOptions options,
      VertxMetricsFactory metrics) {
    return ClusteredVertx.start(settings, options, metrics);
  }

  /**
   * This node's leases over the stores' pool (the stores fence by them): called while the stores
   * are built, before anything starts.
   */
  public LeaseManager leases(Vertx vertx, Pool pool) {
    leases = new LeaseManager(vertx, pool, settings, System::nanoTime, this::lost);
    table = new LeaseTable(pool);
    return leases;
  }

  /** What the monitor asks before acting for an org: this node holds its lease. */
  public Ownership ownership() {
    return org -> leases != null && leases.holds(org);
  }

  @Override
  public Future<?> start() {
    stamps = new StampAndFilter(self, leases);
    vertx.eventBus().addOutboundInterceptor(stamps);
    leases.start();
    endpoint = new NodeEndpoint(vertx, self, this::ensure);
    OwnerDirectory directory = new OwnerDirectory(table::ownerOf, settings.renewMillis(),
        System::nanoTime);
    door = new FrontDoor(vertx, self, leases, table, new OwnerRouter(vertx, self, directory));
    monitorDoor = new MonitorDoor(vertx, self, directory::ownerOf, table::liveNodes,
        NodeAddresses::monitorLocal);
    rebalance = vertx.eventBus().consumer(REBALANCE, msg -> round());
    move = vertx.eventBus().localConsumer(NodeAddresses.MOVE, this::move);
    nodes = vertx.eventBus().localConsumer(NodeAddresses.NODES, this::nodes);
    roundTimer = vertx.setPeriodic(settings.renewMillis(), id -> round());
    LOG.info("cluster node {} starting: members {}, leases of {} ms renewed every {} ms", self,
        settings.members(), settings.leaseMillis(), settings.renewMillis());
    return Future.all(endpoint.start(FrontDoor.PER_ORG), door.start(), monitorDoor.start(true),
        rebalance.completion(), move.completion(), nodes.completion())
        .onSuccess(v -> round());
  }

  /** A command's org must be this node's: held, or claimed now (and its session taken) if free. */
  private Future<Void> ensure(String org) {
    if (leases.holds(org)) {
      return Future.succeededFuture();
    }
    if (stopping) {
      return Future.failedFuture(new IllegalStateException("node " + self + " is stopping"));
    }
    return leases.claim(org).compose(lease -> gateway(NodeAddresses.ADOPT, org));
  }

  /**
   * An operator moves an org to a live node: the choice is stored ({@code preferred_node}, which
   * every node's balancer honours) and every node balances now, so the owner hands the session
   * over at once and the chosen node claims it. Answers once the chosen node owns the org, or
   * after {@link #MOVE_WAIT_MS} with {@code moved: false} (the move goes on: a dead owner's
   * lease must end first).
   */
  private void move(Message<JsonObject> msg) {
    String org = msg.body().getString("org");
    String node = msg.body().getString("node");
    if (!OrgId.isValid(org) || node == null) {
      msg.fail(Failure.BAD_INPUT, "a move needs a valid org and a node");
      return;
    }
    table.liveNodes().compose(live -> {
      if (!live.contains(node)) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
            Failure.BAD_INPUT, "node " + node + " is not a live node of the cluster (live: "
            + String.join(", ", live) + ")"));
      }
      return table.prefer(org, node);
    }).compose(v -> {
      OrgMdc.run(org, () -> LOG.info("node {}: organization {} moved to node {} by an operator",
          self, org, node));
      vertx.eventBus().publish(REBALANCE, self);
      return ownedBy(org, node, System.nanoTime() + MOVE_WAIT_MS * 1_000_000);
    }).onSuccess(owner -> msg.reply(new JsonObject().put("org", org).put("node", node)
        .put("owner", owner).put("moved", node.equals(owner))))
        .onFailure(e -> {
          if (e instanceof ReplyException re) {
            msg.fail(re.failureCode(), re.getMessage());
          } else {
            LOG.warn("node {}: the move of organization {} failed: {}", self, org, e.toString());
            msg.fail(Failure.UNAVAILABLE, "the lease table could not be read or written; try"
                + " again in a moment");
          }
        });
  }

  /** The live nodes, where a person may move a session to, and this node. */
  private void nodes(Message<JsonObject> msg) {
    table.liveNodes().onSuccess(live -> msg.reply(new JsonObject().put("self", self)
        .put("nodes", new io.vertx.core.json.JsonArray(live.stream().sorted().toList()))))
        .onFailure(e -> {
          LOG.warn("node {}: the live nodes could not be read: {}", self, e.toString());
          msg.fail(Failure.UNAVAILABLE, "the lease table could not be read; try again in a"
              + " moment");
        });
  }

  /** The org's owner once it is {@code node}, or whoever owns it at the deadline. */
  private Future<String> ownedBy(String org, String node, long deadline) {
    return table.ownerOf(org).compose(owner -> {
      if (node.equals(owner) || System.nanoTime() - deadline >= 0) {
        return Future.succeededFuture(owner);
      }
      return vertx.timer(MOVE_POLL_MS).compose(t -> ownedBy(org, node, deadline));
    });
  }

  /** One balancing round: say this node is alive, read the table, claim and hand over. */
  private void round() {
    if (stopping) {
      return;
    }
    if (balancing) {
      again = true; // a rebalance asked for meanwhile: one more round right after this one
      return;
    }
    balancing = true;
    table.beat(self, 2 * settings.renewMillis())
        .compose(v -> Future.all(table.liveNodes(), table.read(), linking()))
        .compose(read -> {
          List<String> live = read.resultAt(0);
          List<LeaseTable.Entry> entries = read.resultAt(1);
          Set<String> linking = read.resultAt(2);
          Map<String, String> owners = new HashMap<>();
          Map<String, String> preferred = new HashMap<>();
          for (LeaseTable.Entry e : entries) {
            owners.put(e.org(), e.owner());
            if (e.preferredNode() != null) {
              preferred.put(e.org(), e.preferredNode());
            }
          }
          // a person may be scanning this node's QR or typing its pairing code: never moved
          linking.forEach(org -> preferred.putIfAbsent(org, self));
          SessionBalancer.Plan plan = SessionBalancer.plan(self, live, owners, preferred,
              MAX_MOVES);
          List<Future<Void>> done = new ArrayList<>();
          plan.release().forEach(org -> done.add(handOver(org)));
          plan.claim().forEach(org -> done.add(take(org)));
          return Future.join(done).transform(ignored -> {
            if (!plan.release().isEmpty()) {
              vertx.eventBus().publish(REBALANCE, self);
            }
            return Future.<Void>succeededFuture();
          });
        })
        .onFailure(e -> LOG.warn("cluster node {}: a balancing round failed (tried again in {}"
            + " ms): {}", self, settings.renewMillis(), e.toString()))
        .onComplete(ar -> {
          balancing = false;
          if (again) {
            again = false;
            round();
          }
        });
  }

  /** This node's orgs being linked now (a QR or pairing code shown, or starting). */
  private Future<Set<String>> linking() {
    return vertx.eventBus().<Object>request(NodeAddresses.local(GatewayAddresses.LIST),
        new JsonObject(), new DeliveryOptions().setLocalOnly(true)
            .setSendTimeout(FrontDoor.COMMAND_TIMEOUT_MS))
        .map(reply -> {
          Set<String> out = new HashSet<>();
          Json.fromBody(reply.body(), SessionList.class).sessions().forEach(v -> {
            if (LINKING.contains(v.state()) && leases.holds(v.org())) {
              out.add(v.org());
            }
          });
          return out;
        });
  }

  /** Claims an org nobody holds and takes its session; another node's claim first is no error. */
  private Future<Void> take(String org) {
    return leases.claim(org).compose(lease -> gateway(NodeAddresses.ADOPT, org)
        .recover(e -> {
          OrgMdc.run(org, () -> LOG.error("node {} claimed organization {} but its gateway could"
              + " not take the session; the lease is given up: {}", self, org, e.toString()));
          return release(lease);
        }))
        .recover(e -> e instanceof LeaseHeldException ? Future.succeededFuture()
            : Future.failedFuture(e));
  }

  /** Ends the org's session here and gives its lease up, for another node to take. */
  private Future<Void> handOver(String org) {
    LeaseManager.Lease lease = leases.lease(org);
    if (lease == null) {
      return Future.succeededFuture();
    }
    return gateway(NodeAddresses.RELEASE, org).eventually(() -> release(lease));
  }

  private Future<Void> release(LeaseManager.Lease lease) {
    return leases.release(lease).recover(e -> {
      LOG.warn("node {} could not release organization {} (it ends by itself in {} ms): {}",
          self, lease.org(), settings.leaseMillis(), e.toString());
      return Future.succeededFuture();
    });
  }

  /** The lease is gone: the session stops here now, writing nothing, and the lease is let go. */
  private void lost(LeaseManager.Lease lease, String why) {
    gateway(NodeAddresses.RELEASE, lease.org())
        .onFailure(e -> OrgMdc.run(lease.org(), () -> LOG.error("node {} could not stop the"
            + " session of organization {} after losing its lease: {}", self, lease.org(),
            e.toString())))
        .eventually(() -> release(lease));
  }

  private Future<Void> gateway(String address, String org) {
    return vertx.eventBus().request(address, new JsonObject().put("org", org),
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(FrontDoor.COMMAND_TIMEOUT_MS))
        .mapEmpty();
  }

  /**
   * A graceful stop: every session of this node ends and its lease is released, this node leaves
   * the live nodes, and the others are told to take the orgs now.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(roundTimer);
    Set<String> owned = leases.owned();
    LOG.info("cluster node {} stopping: handing over {} sessions", self, owned.size());
    List<Future<Void>> handed = new ArrayList<>();
    owned.forEach(org -> handed.add(handOver(org)));
    return Future.join(handed)
        .eventually(() -> leases.releaseAll())
        .eventually(() -> table.leave(self))
        .eventually(() -> {
          vertx.eventBus().publish(REBALANCE, self);
          leases.stop();
          vertx.eventBus().removeOutboundInterceptor(stamps);
          return Future.join(endpoint.stop(), door.stop(), monitorDoor.stop(),
              rebalance.unregister(), move.unregister(), nodes.unregister());
        })
        .onComplete(ar -> LOG.info("cluster node {} handed its sessions over", self));
  }
}
