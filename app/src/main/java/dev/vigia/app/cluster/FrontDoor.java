package dev.vigia.app.cluster;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.cluster.LeaseTable;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.cluster.OwnerRouter;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A node's door for the gateway's commands in cluster mode: the dashboard and the monitor of this
 * node send to the plain gateway addresses as on a single node, and this class (listening there,
 * on this node only) sends each org's command to the node that owns the org ({@link OwnerRouter}),
 * answers the session list from every live node, and hands what concerns this node alone (its
 * readiness, its engine, the archive purge) to its own gateway.
 */
final class FrontDoor {

  /** The gateway's commands about one org: each goes to the org's owner. */
  static final List<String> PER_ORG = List.of(GatewayAddresses.CONNECT,
      GatewayAddresses.DISCONNECT, GatewayAddresses.LOGOUT, GatewayAddresses.CLEAR,
      GatewayAddresses.STATUS, GatewayAddresses.SEND, GatewayAddresses.REPAIR,
      GatewayAddresses.SETTLE, GatewayAddresses.SIM, GatewayAddresses.FORGET,
      GatewayAddresses.ARCHIVES, GatewayAddresses.RESTORE);
  /** This node's own concerns, answered by its own gateway. */
  static final List<String> THIS_NODE = List.of(GatewayAddresses.READY,
      GatewayAddresses.RESTART_ENGINE, GatewayAddresses.PURGE_ARCHIVES);
  /** A connect waits for the engine to start; nothing the gateway does takes longer. */
  static final long COMMAND_TIMEOUT_MS = 60_000;
  /**
   * A node answers its list from memory at once; one that does not within this is gone or frozen
   * (it leaves the live nodes within two renewals), and the list goes on without it.
   */
  static final long LIST_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String self;
  private final LeaseManager leases;
  private final LeaseTable table;
  private final OwnerRouter router;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  FrontDoor(Vertx vertx, String self, LeaseManager leases, LeaseTable table, OwnerRouter router) {
    this.vertx = vertx;
    this.self = self;
    this.leases = leases;
    this.table = table;
    this.router = router;
  }

  /** The address where node {@code node} answers with the sessions it owns. */
  static String listOf(String node) {
    return "vigia.cluster.node." + node + ".list";
  }

  Future<Void> start() {
    PER_ORG.forEach(address -> listen(address, true, msg -> toOwner(address, msg)));
    THIS_NODE.forEach(address -> listen(address, true, msg -> relay(msg,
        vertx.eventBus().<Object>request(NodeAddresses.local(address), msg.body(), local()))));
    listen(GatewayAddresses.LIST, true, this::listEveryNode);
    listen(listOf(self), false, this::listOwned);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> stop() {
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  private void listen(String address, boolean localOnly,
      io.vertx.core.Handler<Message<Object>> handler) {
    consumers.add(localOnly ? vertx.eventBus().localConsumer(address, handler)
        : vertx.eventBus().consumer(address, handler));
  }

  private static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true).setSendTimeout(COMMAND_TIMEOUT_MS);
  }

  private void toOwner(String address, Message<Object> msg) {
    String org = msg.body() instanceof JsonObject json ? json.getString("org") : null;
    if (org == null || !OrgId.isValid(org)) {
      // the gateway says what is wrong with the request, as on a single node
      relay(msg, vertx.eventBus().<Object>request(NodeAddresses.local(address), msg.body(),
          local()));
      return;
    }
    Future<Message<Object>> reply = router.request(address, org, msg.body(),
        new DeliveryOptions().setSendTimeout(COMMAND_TIMEOUT_MS));
    relay(msg, GatewayAddresses.STATUS.equals(address) ? reply.map(FrontDoor::onNode) : reply);
  }

  /**
   * A status names the node that answered it (the org's owner), as the list does: a single
   * node's gateway knows no node, and the owner is known only once the router reached it.
   */
  private static Message<Object> onNode(Message<Object> reply) {
    String node = reply.headers().get(NodeAddresses.ANSWERED_BY);
    if (node != null && reply.body() instanceof JsonObject view && view.getString("org") != null) {
      view.put("node", node);
    }
    return reply;
  }

  /** The owner's answer, or its failure with the same code; a silent node is 503. */
  private static <T> void relay(Message<Object> msg, Future<Message<T>> reply) {
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result().body());
      } else if (ar.cause() instanceof ReplyException re
          && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        msg.fail(re.failureCode(), re.getMessage());
      } else {
        msg.fail(Failure.UNAVAILABLE, "the node that owns this organization did not answer;"
            + " try again in a moment");
      }
    });
  }

  /**
   * Every live node's sessions, each org from its owner. A node that does not answer in time is
   * left out (its sessions come back on the node that takes them when its leases end).
   */
  private void listEveryNode(Message<Object> msg) {
    table.liveNodes().recover(e -> Future.succeededFuture(List.of(self))).compose(nodes -> {
      List<String> asked = new ArrayList<>(nodes);
      if (!asked.contains(self)) {
        asked.add(self);
      }
      List<Future<Message<Object>>> answers = asked.stream().map(n -> vertx.eventBus()
          .<Object>request(listOf(n), new JsonObject(),
              new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))).toList();
      return Future.join(answers).transform(ignored -> {
        TreeMap<String, SessionView> byOrg = new TreeMap<>();
        for (Future<Message<Object>> answer : answers) {
          if (answer.succeeded()) {
            SessionList list = Json.fromBody(answer.result().body(), SessionList.class);
            list.sessions().forEach(v -> byOrg.put(v.org(), v));
          }
        }
        return Future.succeededFuture(new SessionList(List.copyOf(byOrg.values())));
      });
    }).onSuccess(list -> msg.reply(Json.toBuffer(list)));
  }

  /** The sessions of this node's gateway that this node owns, each marked with this node. */
  private void listOwned(Message<Object> msg) {
    vertx.eventBus().<Object>request(NodeAddresses.local(GatewayAddresses.LIST), new JsonObject(),
        local()).onComplete(ar -> {
          if (ar.failed()) {
            msg.fail(Failure.UNAVAILABLE, "the gateway of node " + self + " did not answer");
            return;
          }
          SessionList all = Json.fromBody(ar.result().body(), SessionList.class);
          List<SessionView> owned = all.sessions().stream()
              .filter(v -> leases.holds(v.org())).map(v -> v.onNode(self)).toList();
          msg.reply(Json.toBuffer(new SessionList(owned)));
        });
  }
}
