package dev.vigia.dashboard;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Test double for the monitor's request/reply side: health, stats and stale list with fixed,
 * recognizable values per org; 400 for an invalid org, as the real one.
 */
public final class FakeMonitor {

  public static final LocalDate TODAY = LocalDate.parse("2026-01-01");

  private final Vertx vertx;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public FakeMonitor(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> register() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(HealthQuery.ADDRESS, msg -> {
      String org = Json.fromJson(msg.body(), HealthQuery.class).org();
      if (!OrgId.isValid(org)) {
        msg.fail(400, "invalid org id");
        return;
      }
      msg.reply(Json.toJson(new SessionHealth(org, SessionHealth.OK, SessionState.CONNECTED, 60,
          Instant.parse("2026-01-01T09:59:00Z"), 20L, 0.0, true,
          List.of(new SessionHealth.Check("creds", SessionHealth.OK, "credentials of " + org
              + " are readable")))));
    }));
    consumers.add(vertx.eventBus().<JsonObject>consumer(StatsQuery.ADDRESS, msg -> {
      StatsQuery q = Json.fromJson(msg.body(), StatsQuery.class);
      msg.reply(Json.toJson(new StatsPage(q.org(), IntStream.range(0, q.days())
          .mapToObj(i -> new StatsPage.Day(TODAY.minusDays(q.days() - 1 - i), i, 0, 0)).toList())));
    }));
    consumers.add(vertx.eventBus().<JsonObject>consumer(StaleQuery.ADDRESS, msg ->
        msg.reply(Json.toJson(new StaleList(30, List.of(new StaleList.Candidate("2",
            SessionState.STOPPED, Instant.parse("2025-11-01T00:00:00Z"), 61)))))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> unregister() {
    Future<Void> all = Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .mapEmpty();
    consumers.clear();
    return all;
  }
}
