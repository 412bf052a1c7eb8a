package dev.vigia.common.cluster;

import dev.vigia.common.gateway.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Objects;

/**
 * Sends a gateway command for an org to the node that owns it (issue 11), not to whichever node
 * the event bus picks in turn: the owner from the {@link OwnerDirectory}, or this node when nobody
 * owns it (its {@link NodeEndpoint} claims it). A node that answers "not owner, ask X" is
 * believed, and the command goes to X, a few times at most; an owner that has left the bus is
 * forgotten and the command tried once more. A command that timed out is never sent again: it may
 * have been done.
 */
public final class OwnerRouter {

  static final int MAX_HOPS = 3;

  private final Vertx vertx;
  private final String self;
  private final OwnerDirectory directory;

  public OwnerRouter(Vertx vertx, String self, OwnerDirectory directory) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.self = Objects.requireNonNull(self, "self");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** Request/reply of {@code gatewayAddress} for {@code org}, answered by the org's owner. */
  public <T> Future<Message<T>> request(String gatewayAddress, String org, Object body,
      DeliveryOptions options) {
    return directory.ownerOf(org)
        .recover(e -> Future.succeededFuture(null)) // the table unreadable: this node tries
        .compose(owner -> attempt(gatewayAddress, org, body, options,
            owner == null ? self : owner, 1));
  }

  private <T> Future<Message<T>> attempt(String gatewayAddress, String org, Object body,
      DeliveryOptions options, String node, int hop) {
    return vertx.eventBus().<T>request(NodeAddresses.of(node, gatewayAddress), body, options)
        .recover(e -> {
          if (!(e instanceof ReplyException re) || hop >= MAX_HOPS) {
            return Future.failedFuture(e);
          }
          if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && re.failureCode() == NodeAddresses.NOT_OWNER) {
            String owner = NodeAddresses.ownerNamedBy(re);
            directory.learn(org, owner);
            return attempt(gatewayAddress, org, body, options, owner == null ? self : owner,
                hop + 1);
          }
          if (re.failureType() == ReplyFailure.NO_HANDLERS) {
            // the node left the bus; its lease may still run until it ends
            directory.forget(org);
            return directory.ownerOf(org).compose(owner -> {
              if (owner != null && owner.equals(node)) {
                return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
                    Failure.UNAVAILABLE, "the node of organization " + org + " (" + node
                    + ") is gone; another node takes its session when its lease ends"));
              }
              return attempt(gatewayAddress, org, body, options, owner == null ? self : owner,
                  hop + 1);
            });
          }
          if (re.failureType() == ReplyFailure.TIMEOUT) {
            directory.forget(org);
          }
          return Future.failedFuture(e);
        });
  }
}
