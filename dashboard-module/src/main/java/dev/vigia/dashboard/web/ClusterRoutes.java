package dev.vigia.dashboard.web;

import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.gateway.Failure;
import dev.vigia.dashboard.account.AccountStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Cluster mode for admins (issue 11): {@code POST /api/sessions/{org}/move} with
 * {@code {"node": "node-2"}} runs the org's session on that node from now on, and
 * {@code GET /api/cluster/nodes} names the live nodes it may go to. The node's cluster
 * part answers (this node's, over the local bus): 200 once the chosen node owns the org, 202 when
 * it does not yet after a bounded wait (the move goes on). On a single node nothing listens, and
 * the answer is 409 {@code not_clustered}.
 */
public final class ClusterRoutes {

  /** The cluster part waits up to 10 s for the chosen node; the request a little longer. */
  static final long MOVE_TIMEOUT_MS = 15_000;
  /** Node ids as cluster_node accepts them. */
  private static final String NODE_ID = "[A-Za-z0-9_-]{1,64}";

  private final Vertx vertx;
  private final AccountStore accounts;
  private final Authenticator auth;

  public ClusterRoutes(Vertx vertx, AccountStore accounts, Authenticator auth) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.post("/api/sessions/:org/move").handler(auth.org()).handler(auth.admin())
        .handler(this::move);
    router.get("/api/cluster/nodes").handler(auth.admin()).handler(this::nodes);
  }

  /** The live nodes ({@code {self, nodes}}): where the page offers to move a session. */
  private void nodes(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(NodeAddresses.NODES, new JsonObject(),
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(MOVE_TIMEOUT_MS))
        .onSuccess(reply -> JsonResponses.send(ctx, 200, reply.body()))
        .onFailure(e -> ctx.fail(refusal(e)));
  }

  private void move(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    String node = JsonBodies.string(JsonBodies.object(ctx), "node", true, 64);
    if (!node.matches(NODE_ID)) {
      throw ApiException.invalidField("node", "must be a node id (letters, digits, - and _)");
    }
    accounts.findOrg(org).compose(found -> {
      if (found.isEmpty()) {
        throw ApiException.notFound("no organization " + org);
      }
      return vertx.eventBus().<JsonObject>request(NodeAddresses.MOVE,
          new JsonObject().put("org", org).put("node", node),
          new DeliveryOptions().setLocalOnly(true).setSendTimeout(MOVE_TIMEOUT_MS));
    }).onSuccess(reply -> JsonResponses.send(ctx,
        reply.body().getBoolean("moved", false) ? 200 : 202, reply.body()))
        .onFailure(e -> ctx.fail(refusal(e)));
  }

  private static Throwable refusal(Throwable e) {
    if (e instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new ApiException(409, "not_clustered", "this server is not a cluster node"
            + " (VIGIA_CLUSTER=true): a session can only be moved between cluster nodes");
      }
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && re.failureCode() == Failure.BAD_INPUT) {
        return ApiException.badRequest("unknown_node", re.getMessage());
      }
    }
    return e;
  }
}
