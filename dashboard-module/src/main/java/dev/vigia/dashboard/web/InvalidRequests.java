package dev.vigia.dashboard.web;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP decoder could not read (a request line over 4 KiB, headers over 8 KiB, a
 * garbled line) never reach the router: they get the one error shape here, then the connection
 * closes, as Vert.x's default does with an empty body.
 */
public final class InvalidRequests {

  private InvalidRequests() {}

  /** {@code server.invalidRequestHandler(InvalidRequests::answer)}. */
  public static void answer(HttpServerRequest request) {
    ApiException error = classify(request.decoderResult().cause());
    request.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(new JsonObject().put("error", error.getMessage()).put("code", error.code()).encode())
        .onComplete(done -> request.connection().close());
  }

  static ApiException classify(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new ApiException(414, "uri_too_long",
          "the address is too long (over 4 KiB): send the data in the request body");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiException(431, "headers_too_large",
          "the request headers are too large (over 8 KiB): send fewer or smaller headers or cookies");
    }
    return ApiException.badRequest("bad_request", "the request could not be read as HTTP");
  }
}
