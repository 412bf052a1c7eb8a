package dev.vigia.dashboard;

import dev.vigia.common.Json;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.monitor.StaleList;
import dev.vigia.common.monitor.StaleQuery;
import dev.vigia.common.monitor.StatsPage;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.common.monitor.SystemQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The dashboard's questions to the monitor (health, daily stats, stale sessions), as records.
 * A monitor that is not running or not answering is a {@code ReplyException} the error handler
 * turns into a 503.
 */
public final class MonitorClient {

  private final Vertx vertx;
  private final DeliveryOptions options;

  public MonitorClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public Future<SessionHealth> health(String org) {
    return request(HealthQuery.ADDRESS, new HealthQuery(org), SessionHealth.class);
  }

  public Future<StatsPage> stats(String org, int days) {
    return request(StatsQuery.ADDRESS, new StatsQuery(org, days), StatsPage.class);
  }

  public Future<StaleList> stale() {
    return request(StaleQuery.ADDRESS, new JsonObject(), StaleList.class);
  }

  /** The disk and network checks: the last ones, or ({@code fresh}) made now. */
  public Future<SystemHealth> system(boolean fresh, Duration timeout) {
    return vertx.eventBus().<Object>request(SystemQuery.ADDRESS, Json.toJson(new SystemQuery(fresh)),
            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .compose(m -> m.body() instanceof JsonObject reply
            ? Future.succeededFuture(Json.fromJson(reply, SystemHealth.class))
            : Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, -1,
                "the monitor gave an empty answer to " + SystemQuery.ADDRESS)));
  }

  private <T> Future<T> request(String address, Object body, Class<T> type) {
    JsonObject json = body instanceof JsonObject j ? j : Json.toJson(body);
    return vertx.eventBus().<Object>request(address, json, options).compose(m -> {
      if (m.body() instanceof JsonObject reply) {
        return Future.succeededFuture(Json.fromJson(reply, type));
      }
      // an empty answer is as good as none
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, -1,
          "the monitor gave an empty answer to " + address));
    });
  }
}
