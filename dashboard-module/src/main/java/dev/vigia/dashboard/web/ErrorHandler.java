package dev.vigia.dashboard.web;

import dev.vigia.common.storage.StoreUnavailableException;
import dev.vigia.dashboard.account.AccountStoreException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error shape: every failure, whatever threw it, leaves as
 * {@code {"error": "...", "code": "..."}} with a fitting status and never a stack trace.
 */
public final class ErrorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  /** Route failure handler: {@code router.route().failureHandler(ErrorHandler::handle)}. */
  public static void handle(RoutingContext ctx) {
    send(ctx, toApi(ctx.failure(), ctx.statusCode()));
  }

  public static ApiException toApi(Throwable failure, int statusCode) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof ReplyException reply) {
      return fromBus(reply);
    }
    if (failure instanceof StoreUnavailableException) {
      // the store logged what failed and for which org; the caller learns only that it may retry
      return new ApiException(503, "store_unavailable",
          "the database is not answering; try again in a moment");
    }
    if (failure instanceof AccountStoreException account) {
      return switch (account.reason()) {
        case CONFLICT -> ApiException.conflict(account.getMessage());
        case NOT_FOUND -> ApiException.notFound(account.getMessage());
        case LAST_ADMIN -> new ApiException(409, "last_admin", account.getMessage());
      };
    }
    if (diskFull(failure)) {
      // a person can act on this one: say it, rather than "something went wrong"
      LOG.warn("a write failed, the data dir's disk is full: {}", failure.toString());
      return new ApiException(507, "disk_full", "the server's disk is full: nothing was saved;"
          + " free space on the data dir's disk (vigia doctor, or the Operations page, says"
          + " how much) and try again");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> ApiException.badRequest("bad_request", "the request could not be read");
      case 401 -> ApiException.unauthenticated();
      case 403 -> ApiException.forbidden("you may not do this");
      case 404 -> ApiException.notFound("no such resource: see the API list in the README");
      case 405 -> new ApiException(405, "method_not_allowed", "this path does not accept that method");
      case 413 -> new ApiException(413, "too_large", "the request body is larger than 64 KiB");
      default -> {
        LOG.error("unexpected failure (status {})", status, failure);
        yield new ApiException(500, "internal", "something went wrong on the server; try again");
      }
    };
  }

  /** A write refused for want of space (ENOSPC), anywhere in the failure's causes. */
  static boolean diskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException && t.getMessage() != null
          && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  /** A gateway or journal failure: its code is already the HTTP status (Failure codes). */
  public static ApiException fromBus(ReplyException reply) {
    if (reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.TIMEOUT) {
      return new ApiException(503, "unavailable",
          "the session service is not answering; try again in a moment");
    }
    String message = reply.getMessage() == null ? "the session service refused" : reply.getMessage();
    return switch (reply.failureCode()) {
      case 400 -> ApiException.badRequest("bad_input", message);
      case 403 -> ApiException.forbidden(message);
      case 404 -> ApiException.notFound(message);
      case 409 -> new ApiException(409, "wrong_state", message);
      // cluster mode: the node asked does not own the org (it lost its lease meanwhile)
      case 421 -> new ApiException(421, "not_owner", message);
      case 503 -> new ApiException(503, "unavailable", message);
      default -> {
        LOG.error("unexpected reply failure {} from the bus: {}", reply.failureCode(), message);
        yield new ApiException(500, "internal", "something went wrong on the server; try again");
      }
    };
  }

  public static void send(RoutingContext ctx, ApiException error) {
    send(ctx, error.status(), new JsonObject().put("error", error.getMessage()).put("code", error.code()));
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store");
    if (status == 429 && ctx.get(RETRY_AFTER) != null) {
      ctx.response().putHeader("Retry-After", String.valueOf((Long) ctx.get(RETRY_AFTER)));
    }
    ctx.response().end(body.encode());
  }

  /** Context key: seconds for a {@code Retry-After} header on a 429. */
  public static final String RETRY_AFTER = "vigia.retryAfter";
}
