package dev.vigia.dashboard;

import dev.vigia.common.Json;
import dev.vigia.common.gateway.ArchiveList;
import dev.vigia.common.gateway.ArchivesRequest;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.EngineRestartRequest;
import dev.vigia.common.gateway.EngineRestartResult;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.ReadinessQuery;
import dev.vigia.common.gateway.RestoreRequest;
import dev.vigia.common.gateway.RestoreResult;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.journal.JournalPage;
import dev.vigia.common.journal.JournalQuery;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The dashboard's side of the event bus: the gateway's commands and the monitor's journal, as
 * records. Failures stay {@code ReplyException}s with the gateway's {@code Failure} codes.
 */
public final class GatewayClient {

  private final Vertx vertx;
  private final DeliveryOptions options;

  public GatewayClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  public Future<SessionView> status(String org) {
    return statusReply(org).map(reply -> reply == null ? null
        : Json.fromJson(reply, SessionView.class));
  }

  /**
   * The gateway's status reply as it came, not yet a record: {@code GET /api/sessions/{org}}
   * reuses its answer while this stays the same ({@code web/SessionAnswers}).
   */
  public Future<JsonObject> statusReply(String org) {
    return vertx.eventBus().<Object>request(StatusRequest.ADDRESS,
            Json.toJson(new StatusRequest(org)), options)
        .map(m -> m.body() instanceof JsonObject reply ? reply : null);
  }

  public Future<List<SessionView>> list() {
    return list(options);
  }

  /** The list with its own timeout: readiness asks with a short one. */
  public Future<List<SessionView>> list(Duration timeout) {
    return list(new DeliveryOptions().setSendTimeout(timeout.toMillis()));
  }

  private Future<List<SessionView>> list(DeliveryOptions opts) {
    // ListRequest has no fields: an empty object is its JSON
    return request(ListRequest.ADDRESS, new JsonObject(), opts, SessionList.class)
        .map(l -> l == null || l.sessions() == null ? List.<SessionView>of() : l.sessions());
  }

  /** Readiness of the gateway's store and engine; fails when the gateway does not answer. */
  public Future<Readiness> readiness(Duration timeout) {
    return request(ReadinessQuery.ADDRESS, new JsonObject(),
        new DeliveryOptions().setSendTimeout(timeout.toMillis()), Readiness.class)
        .compose(r -> r == null ? Future.failedFuture("an empty readiness reply") : Future.succeededFuture(r));
  }

  public Future<SessionView> connect(ConnectRequest request) {
    return orStatus(request.org(),
        request(ConnectRequest.ADDRESS, request, options, SessionView.class));
  }

  public Future<SessionView> disconnect(DisconnectRequest request) {
    return orStatus(request.org(),
        request(DisconnectRequest.ADDRESS, request, options, SessionView.class));
  }

  public Future<SessionView> logout(LogoutRequest request) {
    return orStatus(request.org(),
        request(LogoutRequest.ADDRESS, request, options, SessionView.class));
  }

  public Future<SendReceipt> send(SendRequest request) {
    return request(SendRequest.ADDRESS, request, options, SendReceipt.class);
  }

  public Future<ClearResult> clear(ClearRequest request) {
    return request(ClearRequest.ADDRESS, request, options, ClearResult.class);
  }

  public Future<ArchiveList> archives(String org) {
    return request(ArchivesRequest.ADDRESS, new ArchivesRequest(org), options, ArchiveList.class);
  }

  public Future<RestoreResult> restore(RestoreRequest request) {
    return request(RestoreRequest.ADDRESS, request, options, RestoreResult.class);
  }

  /**
   * Restarts the engine; the reply comes once the engine answers again, so it may wait up to
   * {@code timeout} (the gateway gives up waiting after 30 s and says so).
   */
  public Future<EngineRestartResult> restartEngine(EngineRestartRequest request, Duration timeout) {
    return request(EngineRestartRequest.ADDRESS, request,
        new DeliveryOptions().setSendTimeout(timeout.toMillis()), EngineRestartResult.class);
  }

  /** Sim control; the reply is passed on as the gateway gave it. */
  public Future<JsonObject> sim(SimRequest request) {
    return vertx.eventBus().<JsonObject>request(SimRequest.ADDRESS, Json.toJson(request), options)
        .map(m -> m.body() == null ? new JsonObject() : m.body());
  }

  public Future<JournalPage> journal(JournalQuery query) {
    return request(JournalQuery.ADDRESS, query, options, JournalPage.class);
  }

  /** A command whose reply carried no view: read the state instead. */
  private Future<SessionView> orStatus(String org, Future<SessionView> reply) {
    return reply.compose(v -> v != null && v.state() != null ? Future.succeededFuture(v) : status(org));
  }

  private <T> Future<T> request(String address, Object body, DeliveryOptions opts, Class<T> type) {
    JsonObject json = body instanceof JsonObject j ? j : Json.toJson(body);
    return vertx.eventBus().<Object>request(address, json, opts)
        .map(m -> m.body() instanceof JsonObject || m.body() instanceof Buffer
            ? Json.fromBody(m.body(), type) : null);
  }
}
