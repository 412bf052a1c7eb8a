package dev.vigia.monitor;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.monitor.HealthQuery;
import dev.vigia.common.monitor.StatsQuery;
import dev.vigia.monitor.gateway.GatewayError;
import dev.vigia.monitor.health.HealthWatch;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.stale.StaleReaper;
import dev.vigia.monitor.stats.DailyStats;
import dev.vigia.monitor.stats.DailyCounts;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's answers on the bus (journal, health, stats, stale list): each query is checked
 * (400 with a sentence a person can act on), then answered by the job that owns the data.
 */
final class MonitorQueries {

  private static final Logger log = LoggerFactory.getLogger(MonitorQueries.class);
  private static final String BAD_ORG =
      "invalid organization id: use 1 to 64 letters, digits, '-' or '_'";

  private final Journal journal;
  private final HealthWatch health;
  private final DailyCounts stats;
  private final StaleReaper reaper;

  MonitorQueries(Journal journal, HealthWatch health, DailyCounts stats, StaleReaper reaper) {
    this.journal = journal;
    this.health = health;
    this.stats = stats;
    this.reaper = reaper;
  }

  void journal(Message<Object> msg) {
    JournalQuery query = read(msg, JournalQuery.class);
    if (query == null) {
      msg.fail(Failure.BAD_INPUT, "a journal query is a JSON object {org, limit}");
    } else if (!OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, BAD_ORG);
    } else if (query.limit() < 1 || query.limit() > JournalQuery.MAX_LIMIT) {
      msg.fail(Failure.BAD_INPUT, "limit must be 1 to " + JournalQuery.MAX_LIMIT);
    } else {
      journal.newestFirst(query.org(), query.limit())
          .onSuccess(entries -> msg.reply(Json.toJson(new JournalPage(entries))))
          .onFailure(err -> {
            OrgMdc.run(query.org(), () -> log.warn("org {}: journal read failed: {}",
                query.org(), err.toString()));
            msg.fail(Failure.UNAVAILABLE, "the journal cannot be read now");
          });
    }
  }

  void health(Message<Object> msg) {
    HealthQuery query = read(msg, HealthQuery.class);
    if (query == null || !OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, BAD_ORG);
      return;
    }
    health.query(query.org()).onSuccess(h -> msg.reply(Json.toJson(h)));
  }

  void stats(Message<Object> msg) {
    StatsQuery query = read(msg, StatsQuery.class);
    if (query == null || !OrgId.isValid(query.org())) {
      msg.fail(Failure.BAD_INPUT, BAD_ORG);
    } else if (query.days() < 1 || query.days() > DailyStats.KEEP_DAYS) {
      msg.fail(Failure.BAD_INPUT, "days must be 1 to " + DailyStats.KEEP_DAYS);
    } else {
      stats.page(query.org(), query.days())
          .onSuccess(page -> msg.reply(Json.toJson(page)))
          .onFailure(err -> msg.fail(Failure.UNAVAILABLE, "the daily stats cannot be read now"));
    }
  }

  void stale(Message<Object> msg) {
    reaper.candidates()
        .onSuccess(list -> msg.reply(Json.toJson(list)))
        .onFailure(err -> msg.fail(Failure.UNAVAILABLE,
            "the session list cannot be read now: " + GatewayError.of(err).describe()));
  }

  /** The body as {@code type}, or null when it is not a JSON object of that shape. */
  private static <T> T read(Message<Object> msg, Class<T> type) {
    try {
      return msg.body() instanceof JsonObject body ? Json.fromJson(body, type) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
