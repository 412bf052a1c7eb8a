package dev.vigia.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes on 127.0.0.1 joined by TCP share one event bus. */
class ClusteredVertxTest {

  private static List<Vertx> nodes = List.of();

  @BeforeAll
  static void startTwoNodes() throws Exception {
    List<ClusterSettings> settings = TestCluster.settings(2, 15_000, 5_000, 3_000);
    nodes = TestCluster.start(settings);
  }

  @AfterAll
  static void stop() throws Exception {
    TestCluster.closeAll(nodes);
  }

  @Test
  void aRequestFromOneNodeIsAnsweredByAConsumerOnTheOther() throws Exception {
    Vertx first = nodes.get(0);
    Vertx second = nodes.get(1);
    TestCluster.await(first.eventBus().<JsonObject>consumer("test.who",
        msg -> msg.reply(new JsonObject().put("answeredBy", "first")
            .put("asked", msg.body().getString("from")))).completion());

    JsonObject answer = TestCluster.await(second.eventBus()
        .<JsonObject>request("test.who", new JsonObject().put("from", "second"))).body();

    assertEquals("first", answer.getString("answeredBy"));
    assertEquals("second", answer.getString("asked"));
  }

  @Test
  void aPublishedEventReachesEveryNodeOnce() throws Exception {
    CompletableFuture<String> onFirst = new CompletableFuture<>();
    CompletableFuture<String> onSecond = new CompletableFuture<>();
    TestCluster.await(nodes.get(0).eventBus().<String>consumer("test.state",
        m -> onFirst.complete(m.body())).completion());
    TestCluster.await(nodes.get(1).eventBus().<String>consumer("test.state",
        m -> onSecond.complete(m.body())).completion());

    nodes.get(1).eventBus().publish("test.state", "CONNECTED");

    assertEquals("CONNECTED", onFirst.get(30, TimeUnit.SECONDS));
    assertEquals("CONNECTED", onSecond.get(30, TimeUnit.SECONDS));
    assertTrue(nodes.get(0).isClustered() && nodes.get(1).isClustered());
  }
}
