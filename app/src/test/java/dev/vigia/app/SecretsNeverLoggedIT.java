package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, logging at DEBUG, through a whole working day: first start, login (and a wrong
 * password), an org, a QR shown and scanned, a live stream and a bridge socket, an API key that
 * reads, sends and clears, a pairing code. Then the WHOLE output of the process is searched for
 * every secret it handled: the admin password, the wrong guess, the API key, cookies and tickets,
 * every QR text and each of its parts, the pairing code, the credentials' field names and every
 * key value in the stored creds. None may appear.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SecretsNeverLoggedIT {

  private static final String WRONG_GUESS = "Wrong-Guess-7731";

  @TempDir Path data;
  @TempDir Path logs;
  private Process process;
  private int port;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void aWholeScenarioLeavesNoSecretInTheLog(Vertx vertx) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = logs.resolve("vigia.log");
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("vigia.jar"));
    pb.environment().put("VIGIA_HTTP_PORT", String.valueOf(port));
    pb.environment().put("VIGIA_DATA_DIR", data.toString());
    pb.environment().put("VIGIA_ENGINE", "simulated");
    pb.environment().put("VIGIA_LOG_LEVEL", "DEBUG");
    pb.environment().put("VIGIA_SIM_RESTART_MS", "50");
    pb.environment().remove("VIGIA_ADMIN_PASSWORD");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    process = pb.start();
    awaitHealth();

    // secret -> what it is, for the failure message
    Map<String, String> secrets = new LinkedHashMap<>();
    String password = Files.readString(data.resolve("initial-admin-password")).strip();
    secrets.put(password, "the first admin's password");
    secrets.put(WRONG_GUESS, "a wrong password typed at login");

    ApiClient admin = new ApiClient(vertx, port);
    assertEquals(401, admin.login("admin", WRONG_GUESS).statusCode());
    HttpResponse<Buffer> login = admin.login("admin", password);
    assertEquals(200, login.statusCode());
    for (String cookie : login.cookies()) {
      secrets.put(cookie.split(";", 2)[0].split("=", 2)[1], "a login cookie");
    }
    String sessionCookie = login.cookies().stream().filter(c -> c.startsWith("vigia_session="))
        .findFirst().orElseThrow().split(";", 2)[0].substring("vigia_session=".length());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    String key = admin.json(admin.post("/api/orgs/2/api-keys", new JsonObject())).getString("key");
    secrets.put(key, "the API key");

    HttpClient http = vertx.createHttpClient();
    StringBuffer stream = new StringBuffer();
    HttpClientResponse sse = ApiClient.await(http.request(new RequestOptions()
            .setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/api/stream")
            .addHeader("Cookie", "vigia_session=" + sessionCookie))
        .compose(req -> req.send())
        .onSuccess(r -> r.handler(b -> stream.append(b.toString()))));
    assertEquals(200, sse.statusCode());
    ApiClient machine = new ApiClient(vertx, port).withApiKey(key);
    String ticket = machine.json(machine.post("/api/eventbus/ticket", null)).getString("ticket");
    secrets.put(ticket, "a bridge ticket");
    StringBuffer frames = new StringBuffer();
    // held until the end: a client nothing refers to is closed by Vert.x's cleaner at the next
    // GC, and with it the socket (seen as "Connection closed while handshake in process")
    WebSocketClient sockets = vertx.createWebSocketClient();
    WebSocket socket = ApiClient.await(sockets.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket?ticket=" + ticket))
        .onSuccess(ws -> ws.handler(b -> frames.append(b.toString()))));
    ApiClient.await(socket.writeTextMessage(new JsonObject().put("type", "register")
        .put("address", "vigia.session.state.2").encode()));

    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    JsonObject qr = admin.await("/api/sessions/2", s -> s.getJsonObject("qr") != null, 15)
        .getJsonObject("qr");
    String qrText = admin.json(admin.get("/api/sessions/2/qr")).getString("payload");
    assertEquals(qr.getString("payload"), qrText);
    assertEquals(200, admin.get("/api/sessions/2/qr.svg").statusCode());
    addQr(secrets, qrText);
    assertEquals(202, admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);
    waitFor(() -> stream.toString().contains("CONNECTED"), "the stream saw the link");
    String[] afterPayload = stream.toString().split("\"payload\":\"");
    for (int i = 1; i < afterPayload.length; i++) {
      addQr(secrets, afterPayload[i].substring(0, afterPayload[i].indexOf('"')));
    }
    // the store writes its key files just after its log acknowledged them
    waitFor(() -> Files.exists(data.resolve("auth_sessions/2/creds.json")), "creds.json written");
    Map<String, String> creds = credsValues(data.resolve("auth_sessions").resolve("2"));
    assertTrue(creds.size() >= 4, "the creds of the link were stored: " + creds);
    creds.forEach(secrets::putIfAbsent);

    assertEquals(200, machine.get("/api/sessions/2").statusCode());
    assertEquals(202, machine.post("/api/sessions/2/messages", new JsonObject()
        .put("to", "5215550001111").put("text", "Su cita es mañana")).statusCode());
    assertEquals(200, machine.get("/api/sessions/2/events?limit=5").statusCode());
    assertEquals(200, machine.post("/api/sessions/2/clear", null).statusCode());

    JsonObject pairing = admin.json(admin.post("/api/sessions/2/connect", new JsonObject()
        .put("method", "pairing_code").put("phone", "5215550002222")));
    JsonObject withCode = pairing.getJsonObject("pairingCode") != null ? pairing
        : admin.await("/api/sessions/2", s -> s.getJsonObject("pairingCode") != null, 15);
    secrets.put(withCode.getJsonObject("pairingCode").getString("code"), "the pairing code");
    assertEquals(200, admin.post("/api/sessions/2/clear", null).statusCode());
    assertEquals(204, admin.post("/auth/logout", null).statusCode());
    waitFor(() -> frames.toString().contains("\"rec\""), "the bridge socket received changes");
    ApiClient.await(http.close());
    ApiClient.await(sockets.close());

    process.destroy(); // SIGTERM: the shutdown lines are part of the log too
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");

    String output = Files.readString(log);
    List<String> lines = output.lines().toList();
    assertEquals(1, lines.stream().filter(l -> l.contains("initial-admin-password")).count(),
        "one line names the password file");
    assertTrue(lines.size() > 10, "the log is really there: " + lines.size() + " lines");
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      if (output.contains(secret.getKey())) {
        found.add(secret.getValue() + " (" + secret.getKey().length() + " chars) in: "
            + lines.stream().filter(l -> l.contains(secret.getKey())).findFirst().orElse(""));
      }
    }
    for (String field : List.of("noiseKey", "advSecretKey", "signedIdentityKey", "signedPreKey",
        "\"private\"", "pairingEphemeralKeyPair", "\"qr\":{", "\"pairingCode\":{")) {
      if (output.contains(field)) {
        found.add("the credentials' field " + field + " in: " + lines.stream()
            .filter(l -> l.contains(field)).findFirst().orElse(""));
      }
    }
    assertTrue(found.isEmpty(), "secrets in the log:\n" + String.join("\n", found));
  }

  /** The QR text and each of its comma-separated parts (ref, noise key, identity key, secret). */
  private static void addQr(Map<String, String> secrets, String qr) {
    if (qr.isEmpty()) {
      return;
    }
    secrets.put(qr, "a QR text");
    for (String part : qr.split(",")) {
      if (part.length() >= 12) {
        secrets.putIfAbsent(part, "a part of a QR text");
      }
    }
  }

  /** Every string value of 16+ characters in the org's creds.json (keys, secrets, ids). */
  private static Map<String, String> credsValues(Path folder) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    collect(new JsonObject(Files.readString(folder.resolve("creds.json"))), "creds", values);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("pre-key-"))
          .limit(3).toList()) {
        collect(new JsonObject(Files.readString(f)), f.getFileName().toString(), values);
      }
    }
    return values;
  }

  private static void collect(Object value, String path, Map<String, String> into) {
    if (value instanceof JsonObject o) {
      o.forEach(e -> collect(e.getValue(), path + "." + e.getKey(), into));
    } else if (value instanceof io.vertx.core.json.JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        collect(a.getValue(i), path + "[" + i + "]", into);
      }
    } else if (value instanceof String s && s.length() >= 16) {
      into.putIfAbsent(s, "a value of the stored credentials (" + path + ")");
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50); // the test thread
    }
  }

  private void awaitHealth() throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), "the process is still running");
      try {
        // ready, not only alive: /health answers before the accounts are read (see README,
        // Restarts), and this scenario needs the whole of Vigía from its first request
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/health/ready"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no /health within 30 s");
  }
}
