package dev.vigia.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A person (or a machine client) talking to Vigía over real HTTP on 127.0.0.1: keeps the session
 * cookie and sends the XSRF header, as the browser page does. Blocking calls, for the test thread
 * only (never an event loop).
 */
final class ApiClient {

  private final WebClientSession http;
  private final int port;
  private String xsrf;
  private String apiKey;

  ApiClient(Vertx vertx, int port) {
    this.http = WebClientSession.create(WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)));
    this.port = port;
  }

  int port() {
    return port;
  }

  ApiClient withApiKey(String key) {
    this.apiKey = key;
    return this;
  }

  HttpResponse<Buffer> login(String username, String password) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/auth/login",
        new JsonObject().put("username", username).put("password", password), false);
    for (String c : r.cookies()) {
      if (c.startsWith("XSRF-TOKEN=")) {
        xsrf = c.substring("XSRF-TOKEN=".length()).split(";", 2)[0];
      }
    }
    return r;
  }

  HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null, true);
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body, true);
  }

  /** A state change without the XSRF header, as a forged cross-site request would be. */
  HttpResponse<Buffer> postWithoutXsrf(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body, false);
  }

  HttpResponse<Buffer> postRaw(String path, String contentType, Buffer body) {
    HttpRequest<Buffer> req = http.request(HttpMethod.POST, path);
    req.putHeader("Content-Type", contentType);
    if (xsrf != null) {
      req.putHeader("X-XSRF-TOKEN", xsrf);
    }
    return await(req.sendBuffer(body));
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body, boolean withXsrf) {
    HttpRequest<Buffer> req = http.request(method, path);
    if (withXsrf && xsrf != null) {
      req.putHeader("X-XSRF-TOKEN", xsrf);
    }
    if (apiKey != null) {
      req.putHeader("X-Api-Key", apiKey);
    }
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  JsonObject json(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject();
  }

  JsonArray array(HttpResponse<Buffer> r) {
    return r.bodyAsJsonArray();
  }

  /** Polls {@code GET path} until the JSON answer matches, at most {@code seconds}. */
  JsonObject await(String path, Predicate<JsonObject> until, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> r = get(path);
      if (r.statusCode() == 200) {
        last = r.bodyAsJsonObject();
        if (until.test(last)) {
          return last;
        }
      }
      Thread.sleep(50); // the test thread, not an event loop
    }
    throw new AssertionError("GET " + path + " did not reach the expected answer in " + seconds
        + " s; last: " + last);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }
}
