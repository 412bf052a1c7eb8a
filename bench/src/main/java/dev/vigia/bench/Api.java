package dev.vigia.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A blocking HTTP client for a bench's set-up and checks (log in, create orgs, read states), on
 * the bench's main thread; the load itself goes through non-blocking clients.
 */
final class Api {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private String cookie;
  private String xsrf;

  Api(String base) {
    this.base = base;
  }

  /** Logs in as the bench's admin; later calls carry the cookie and the XSRF token. */
  Api login() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "admin")
            .put("password", VigiaProcess.PASSWORD).encode()))
        .timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login answered " + r.statusCode() + ": " + r.body());
    }
    List<String> cookies = r.headers().allValues("Set-Cookie").stream()
        .map(c -> c.split(";", 2)[0]).toList();
    cookie = String.join("; ", cookies);
    xsrf = cookies.stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst()
        .map(c -> c.substring("XSRF-TOKEN=".length())).orElseThrow();
    return this;
  }

  String cookie() {
    return cookie;
  }

  String xsrf() {
    return xsrf;
  }

  int status(String path) throws IOException, InterruptedException {
    return send(request(path).GET()).statusCode();
  }

  /** A text answer (say, {@code /metrics}); fails unless 2xx. */
  String text(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(request(path).GET());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " answered " + r.statusCode());
    }
    return r.body();
  }

  JsonObject get(String path) throws IOException, InterruptedException {
    return json(send(request(path).GET()), path);
  }

  JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    return json(send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))), path);
  }

  /** The status of a POST, whatever it is. */
  int postStatus(String path, JsonObject body) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))).statusCode();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60));
    if (cookie != null) {
      b.header("Cookie", cookie).header("X-XSRF-TOKEN", xsrf);
    }
    return b;
  }

  private static HttpResponse<String> send(HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r, String path) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }
}
