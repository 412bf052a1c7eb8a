package dev.vigia.app.ops;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The command line's client of a running Vigía: JSON over HTTP with an admin token in
 * {@code Authorization: Bearer} (never in the URL). Blocking: the command line has nothing else
 * to do meanwhile. A refusal becomes an {@link OpsException} with the server's own sentence.
 */
final class ServerApi {

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ServerApi(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  String base() {
    return base;
  }

  JsonObject get(String path) {
    return send(request(path).GET(), Duration.ofSeconds(30));
  }

  JsonObject post(String path, JsonObject body, Duration timeout) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), timeout);
  }

  /**
   * Follows a Server-Sent Events stream: each event's name and data, until the server ends it
   * or the process is stopped.
   */
  void follow(String path, EventHandler onEvent) {
    HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(req, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (response.statusCode() != 200) {
      throw new OpsException("the server refused to stream " + path + " (HTTP "
          + response.statusCode() + ")");
    }
    String[] event = {"message"};
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      lines.forEach(line -> {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            onEvent.accept(event[0], data.toString());
          }
          event[0] = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event[0] = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      });
    }
  }

  /** One Server-Sent Event. */
  @FunctionalInterface
  interface EventHandler {
    void accept(String event, String data);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", "application/json");
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private JsonObject send(HttpRequest.Builder builder, Duration timeout) {
    HttpResponse<String> response;
    try {
      response = http.send(builder.timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpsException("interrupted");
    }
    JsonObject body;
    try {
      body = response.body() == null || response.body().isBlank() ? new JsonObject()
          : new JsonObject(response.body());
    } catch (DecodeException e) {
      body = new JsonObject();
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return body;
    }
    if (status == 401) {
      throw new OpsException("the server refused the admin token (401): "
          + body.getString("error", "") + " — make a new one with: vigia user token <admin>");
    }
    throw new OpsException("the server answered " + status + ": "
        + body.getString("error", "no reason given"), body);
  }

  private OpsException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "nothing answers there"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new OpsException("cannot reach the Vigía server at " + base + " (" + why + ")");
  }
}
