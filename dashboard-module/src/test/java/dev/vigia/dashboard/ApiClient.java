package dev.vigia.dashboard;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A blocking WebClient for tests, on 127.0.0.1, that sends the raw path as written (no
 * normalization) and the credentials of a {@link Login} or an API key. Blocks only the test thread.
 */
public final class ApiClient {

  /** What a request carries: a session (cookie + XSRF token) and/or an API key; all may be null. */
  public record Login(String sessionCookie, String xsrfToken, String apiKey) {
    public static final Login NONE = new Login(null, null, null);

    public static Login key(String key) {
      return new Login(null, null, key);
    }

    public Login withoutXsrf() {
      return new Login(sessionCookie, null, apiKey);
    }
  }

  /** An answer: status, headers, body. */
  public record Reply(int status, MultiMap headers, String body, List<String> cookies) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final WebClient web;
  private final int port;

  public ApiClient(Vertx vertx, int port) {
    this.web = WebClient.create(vertx);
    this.port = port;
  }

  /** A client whose connections come from {@code localAddress} (another 127.x address). */
  public ApiClient(Vertx vertx, int port, String localAddress) {
    this.web = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setLocalAddress(localAddress));
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Reply get(String path, Login login) {
    return send(HttpMethod.GET, path, login, null, null);
  }

  public Reply post(String path, Login login, Object body) {
    return send(HttpMethod.POST, path, login, body, null);
  }

  /** Sends {@code path} exactly as written (WebClient does not normalize it). */
  public Reply send(HttpMethod method, String path, Login login, Object body, MultiMap extra) {
    HttpRequest<Buffer> req = web.request(method, port, "127.0.0.1", path);
    if (login.sessionCookie() != null) {
      req.putHeader("Cookie", "vigia_session=" + login.sessionCookie()
          + (login.xsrfToken() == null ? "" : "; XSRF-TOKEN=" + login.xsrfToken()));
    }
    if (login.xsrfToken() != null) {
      req.putHeader("X-XSRF-TOKEN", login.xsrfToken());
    }
    if (login.apiKey() != null) {
      req.putHeader("X-Api-Key", login.apiKey());
    }
    if (extra != null) {
      req.putHeaders(extra);
    }
    Buffer payload = body == null ? null
        : body instanceof Buffer b ? b
        : Buffer.buffer(body instanceof JsonObject j ? j.encode() : body.toString());
    if (payload != null && !req.headers().contains("Content-Type")) {
      req.putHeader("Content-Type", "application/json");
    }
    Future<HttpResponse<Buffer>> sent = payload == null ? req.send() : req.sendBuffer(payload);
    HttpResponse<Buffer> resp = await(sent);
    return new Reply(resp.statusCode(), resp.headers(),
        resp.body() == null ? "" : resp.bodyAsString(), resp.cookies());
  }

  /** Logs in; fails the test unless the answer is 200. */
  public Login login(String username, String password) {
    Reply r = post("/auth/login", Login.NONE,
        new JsonObject().put("username", username).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("login of " + username + " answered " + r.status() + " " + r.body());
    }
    return new Login(cookie(r, "vigia_session"), cookie(r, "XSRF-TOKEN"), null);
  }

  public static String cookie(Reply r, String name) {
    for (String c : r.cookies()) {
      if (c.startsWith(name + "=")) {
        return c.substring(name.length() + 1).split(";", 2)[0];
      }
    }
    return null;
  }

  public static String setCookieHeader(Reply r, String name) {
    return r.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete: " + e, e);
    }
  }

  public void close() {
    web.close();
  }
}
