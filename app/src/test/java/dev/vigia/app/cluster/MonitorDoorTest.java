package dev.vigia.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigia.common.Json;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor's per-org queries answer for any org from any node (issue 11): two nodes' doors on
 * one Vert.x (each node its own addresses), each with a monitor that knows only what its node
 * ran. Health comes from the org's owner; daily stats are every live node's counts added; a node
 * listed alive but gone is left out; a query the monitor refuses is refused as it said.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorDoorTest {

  static final LocalDate DAY1 = LocalDate.of(2026, 11, 30);
  static final LocalDate DAY2 = LocalDate.of(2026, 12, 1);
  /** Who owns which org: "gone" is owned by node-3, listed alive but no longer on the bus. */
  static final Map<String, String> OWNERS = Map.of("on2", "node-2", "on1", "node-1",
      "gone", "node-3");

  static Vertx vertx;
  static final List<MonitorDoor> doors = new ArrayList<>();

  @BeforeAll
  static void twoNodes() throws Exception {
    vertx = Vertx.vertx();
    for (String node : List.of("node-1", "node-2")) {
      int sent = node.equals("node-1") ? 2 : 5;
      // this node's monitor: the health it knows is its own; it counted what ran here
      vertx.eventBus().<JsonObject>localConsumer(local(node, HealthQuery.ADDRESS),
          msg -> msg.reply(new JsonObject().put("org", msg.body().getString("org"))
              .put("status", "ok").put("answeredBy", node)));
      vertx.eventBus().<JsonObject>localConsumer(local(node, StatsQuery.ADDRESS), msg -> {
        if (msg.body().getInteger("days") < 1) {
          msg.fail(Failure.BAD_INPUT, "days must be 1 to 30");
          return;
        }
        msg.reply(Json.toJson(new StatsPage(msg.body().getString("org"), List.of(
            new StatsPage.Day(DAY1, sent, 1, 0), new StatsPage.Day(DAY2, sent * 10, 0, 1)))));
      });
      MonitorDoor door = new MonitorDoor(vertx, node,
          org -> Future.succeededFuture(OWNERS.get(org)),
          () -> Future.succeededFuture(List.of("node-1", "node-2", "node-3")),
          address -> local(node, address));
      await(door.start(false));
      doors.add(door);
    }
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  static String local(String node, String address) {
    return "test." + node + "." + address;
  }

  @Test
  void healthComesFromTheOwnerWhicheverNodeIsAsked() throws Exception {
    for (MonitorDoor door : doors) {
      assertEquals("node-2", health(door, "on2").getString("answeredBy"));
      assertEquals("node-1", health(door, "on1").getString("answeredBy"));
    }
    // nobody owns it: the node asked answers; its owner is gone: the node asked answers too
    assertEquals("node-2", health(doors.get(1), "nobody").getString("answeredBy"));
    assertEquals("node-1", health(doors.get(0), "gone").getString("answeredBy"));
  }

  @Test
  void statsAreEveryNodesCountsAddedWhicheverNodeIsAsked() throws Exception {
    for (MonitorDoor door : doors) {
      StatsPage page = Json.fromJson((JsonObject) await(door.stats(
          Json.toJson(new StatsQuery("on2", 2)))), StatsPage.class);
      assertEquals(new StatsPage("on2", List.of(new StatsPage.Day(DAY1, 7, 2, 0),
          new StatsPage.Day(DAY2, 70, 0, 2))), page);
    }
  }

  @Test
  void aQueryTheMonitorRefusesIsRefusedAsItSaid() {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(doors.get(0)
        .stats(new JsonObject().put("org", "on2").put("days", 0))));
    ReplyException refused = assertInstanceOf(ReplyException.class, e.getCause());
    assertEquals(Failure.BAD_INPUT, refused.failureCode());
    assertEquals("days must be 1 to 30", refused.getMessage());
  }

  private static JsonObject health(MonitorDoor door, String org) throws Exception {
    return (JsonObject) await(door.health(Json.toJson(new HealthQuery(org))));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
