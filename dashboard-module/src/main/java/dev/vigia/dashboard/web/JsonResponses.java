package dev.vigia.dashboard.web;

import dev.vigia.common.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers: records through the one mapper ({@link Json}). */
public final class JsonResponses {

  private JsonResponses() {}

  public static void send(RoutingContext ctx, int status, Object body) {
    JsonObject json = body instanceof JsonObject j ? j : Json.toJson(body);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(json.encode());
  }

  /** An answer already encoded as JSON text. */
  public static void send(RoutingContext ctx, int status, Buffer json) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(json);
  }

  public static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }
}
