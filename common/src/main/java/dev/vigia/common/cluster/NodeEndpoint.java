package dev.vigia.common.cluster;

import dev.vigia.common.gateway.Failure;
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
import java.util.Objects;

/**
 * One node's door for routed commands: it listens on {@code vigia.gateway.node.<self>.<command>},
 * makes sure this node owns the org (it holds the lease, or claims it when nobody does), and hands
 * the command to this node's own gateway ({@link NodeAddresses#local}, delivered locally only).
 * When another node owns the org it answers {@link NodeAddresses#NOT_OWNER} naming it, so the
 * router can ask there; nothing is done twice.
 */
public final class NodeEndpoint {

  /** Makes sure this node owns {@code org}; fails with {@link LeaseHeldException} if another does. */
  @FunctionalInterface
  public interface Ownership {
    Future<Void> ensure(String org);

    /** Owns what this node's leases hold, and claims an org nobody holds. */
    static Ownership byLeases(LeaseManager leases) {
      return org -> leases.holds(org) ? Future.succeededFuture() : leases.claim(org).mapEmpty();
    }
  }

  /** Longer than any gateway command takes (a connect waits for the engine to start). */
  static final long FORWARD_TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final String self;
  private final Ownership ownership;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public NodeEndpoint(Vertx vertx, String self, Ownership ownership) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.self = Objects.requireNonNull(self, "self");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
  }

  /** Listens for routed requests of each of {@code gatewayAddresses}; done when all are known cluster-wide. */
  public Future<Void> start(List<String> gatewayAddresses) {
    List<Future<Void>> registered = new ArrayList<>();
    for (String address : gatewayAddresses) {
      MessageConsumer<Object> consumer = vertx.eventBus()
          .consumer(NodeAddresses.of(self, address), msg -> handle(address, msg));
      consumers.add(consumer);
      registered.add(consumer.completion());
    }
    return Future.all(registered).mapEmpty();
  }

  public Future<Void> stop() {
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  private void handle(String address, Message<Object> msg) {
    String org = msg.body() instanceof JsonObject json ? json.getString("org") : null;
    Future<Void> owned = org == null ? Future.succeededFuture() : ownership.ensure(org);
    owned.onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof LeaseHeldException held) {
          msg.fail(NodeAddresses.NOT_OWNER, held.owner() == null ? "" : held.owner());
        } else {
          msg.fail(Failure.UNAVAILABLE, "node " + self + " cannot take organization " + org
              + " now (its lease could not be read); try again");
        }
        return;
      }
      vertx.eventBus().request(NodeAddresses.local(address), msg.body(),
              new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS))
          .onComplete(reply -> {
            if (reply.succeeded()) {
              msg.reply(reply.result().body(),
                  new DeliveryOptions().addHeader(NodeAddresses.ANSWERED_BY, self));
            } else if (reply.cause() instanceof ReplyException re
                && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
              msg.fail(re.failureCode(), re.getMessage());
            } else {
              msg.fail(Failure.UNAVAILABLE, "the gateway of node " + self + " did not answer");
            }
          });
    });
  }
}
