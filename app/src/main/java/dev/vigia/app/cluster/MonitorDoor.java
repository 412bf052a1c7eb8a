package dev.vigia.app.cluster;

import dev.vigia.common.Json;
import dev.vigia.common.cluster.NodeAddresses;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A node's door for the monitor's per-org queries in cluster mode, so any node answers for any
 * org (issue 11): each monitor knows only the sessions its own node ran. An org's health is the
 * owner's monitor's (it hears the session's events; the node asked answers itself when nobody
 * owns the org or the owner is gone); an org's daily stats are the sum of every live node's
 * counts (an org that moved was counted on each node it ran on; a node silent for
 * {@link FrontDoor#LIST_TIMEOUT_MS} is left out). The node's own monitor listens on its local
 * addresses ({@link NodeAddresses#monitorLocal}); this door on the plain ones, this node only, and
 * on {@link NodeAddresses#monitorOf} for the other nodes.
 */
final class MonitorDoor {

  static final List<String> QUERIES = List.of(HealthQuery.ADDRESS, StatsQuery.ADDRESS);

  private final Vertx vertx;
  private final String self;
  private final Function<String, Future<String>> ownerOf;
  private final Supplier<Future<List<String>>> liveNodes;
  private final UnaryOperator<String> localMonitor;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  /**
   * @param ownerOf the org's owner now, or null ({@code OwnerDirectory::ownerOf})
   * @param liveNodes the nodes alive now
   * @param localMonitor where this node's own monitor answers a query address
   */
  MonitorDoor(Vertx vertx, String self, Function<String, Future<String>> ownerOf,
      Supplier<Future<List<String>>> liveNodes, UnaryOperator<String> localMonitor) {
    this.vertx = vertx;
    this.self = self;
    this.ownerOf = ownerOf;
    this.liveNodes = liveNodes;
    this.localMonitor = localMonitor;
  }

  /** {@code front}: also the plain addresses, which this node's dashboard asks (one per node). */
  Future<Void> start(boolean front) {
    for (String address : QUERIES) {
      // another node asks this node's monitor
      listen(vertx.eventBus().consumer(NodeAddresses.monitorOf(self, address),
          msg -> relay(msg, local(address, msg.body()))));
    }
    if (front) {
      listen(vertx.eventBus().localConsumer(HealthQuery.ADDRESS,
          msg -> relay(msg, health(msg.body()))));
      listen(vertx.eventBus().localConsumer(StatsQuery.ADDRESS,
          msg -> relay(msg, stats(msg.body()))));
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** The org's health from its owner's monitor; this node's when no reachable node owns it. */
  Future<Object> health(Object query) {
    String org = query instanceof JsonObject json ? json.getString("org") : null;
    if (org == null) {
      return local(HealthQuery.ADDRESS, query); // this node's monitor says what is wrong with it
    }
    return ownerOf.apply(org).recover(e -> Future.succeededFuture(null)).compose(owner -> {
      if (owner == null || owner.equals(self)) {
        return local(HealthQuery.ADDRESS, query);
      }
      return ask(owner, HealthQuery.ADDRESS, query).recover(e -> gone(e)
          ? local(HealthQuery.ADDRESS, query) : Future.failedFuture(e));
    });
  }

  /**
   * The org's daily counts summed over every live node. This node's monitor answers first (and
   * refuses a bad query); the others' answers are added, those that do not answer left out.
   */
  Future<Object> stats(Object query) {
    return local(StatsQuery.ADDRESS, query).compose(mine -> liveNodes.get()
        .recover(e -> Future.succeededFuture(List.of()))
        .compose(nodes -> {
          List<Future<Object>> others = new ArrayList<>();
          nodes.stream().filter(n -> !n.equals(self))
              .forEach(n -> others.add(ask(n, StatsQuery.ADDRESS, query)));
          return Future.join(others).transform(ignored -> {
            List<StatsPage> pages = new ArrayList<>();
            pages.add(Json.fromJson((JsonObject) mine, StatsPage.class));
            others.stream().filter(Future::succeeded)
                .forEach(f -> pages.add(Json.fromJson((JsonObject) f.result(), StatsPage.class)));
            return Future.succeededFuture(Json.toJson(sum(pages)));
          });
        }));
  }

  /** Day by day, the counts of every page added (the pages of one query cover the same days). */
  static StatsPage sum(List<StatsPage> pages) {
    Map<LocalDate, long[]> days = new TreeMap<>();
    for (StatsPage page : pages) {
      for (StatsPage.Day d : page.days()) {
        long[] c = days.computeIfAbsent(d.date(), k -> new long[3]);
        c[0] += d.sent();
        c[1] += d.failed();
        c[2] += d.reconnects();
      }
    }
    List<StatsPage.Day> out = new ArrayList<>();
    days.forEach((date, c) -> out.add(new StatsPage.Day(date, c[0], c[1], c[2])));
    return new StatsPage(pages.get(0).org(), out);
  }

  private Future<Object> local(String address, Object query) {
    return vertx.eventBus().<Object>request(localMonitor.apply(address), query,
        new DeliveryOptions().setLocalOnly(true)).map(Message::body);
  }

  private Future<Object> ask(String node, String address, Object query) {
    return vertx.eventBus().<Object>request(NodeAddresses.monitorOf(node, address), query,
        new DeliveryOptions().setSendTimeout(FrontDoor.LIST_TIMEOUT_MS)).map(Message::body);
  }

  /** The node asked is no longer there (left the bus, or silent): not the query's fault. */
  private static boolean gone(Throwable e) {
    return e instanceof ReplyException re && (re.failureType() == ReplyFailure.NO_HANDLERS
        || re.failureType() == ReplyFailure.TIMEOUT);
  }

  private void listen(MessageConsumer<Object> consumer) {
    consumers.add(consumer);
  }

  private static void relay(Message<Object> msg, Future<Object> answer) {
    answer.onSuccess(msg::reply).onFailure(e -> {
      if (e instanceof ReplyException re) {
        msg.fail(re.failureCode(), re.getMessage());
      } else {
        msg.fail(Failure.UNAVAILABLE, "the monitor cannot answer now");
      }
    });
  }
}
