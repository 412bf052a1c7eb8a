package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live events for subscribers, over real HTTP and WebSockets on 127.0.0.1: the SSE stream and the
 * SockJS event-bus bridge carry the changes of the caller's orgs and of no other, never a QR to a
 * key, and nothing goes from a socket onto the bus.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private FakeGateway gateway;
  private ApiClient api;
  private HttpClient http;
  private WebSocketClient sockets;
  private int port;
  private dev.vigia.common.time.ManualClock clock;
  private Login admin;
  private Login operator;
  private String key4;
  private final AtomicLong seq = new AtomicLong();

  @BeforeAll
  void deployWithTwoOrgsAnOperatorAndAKey(Vertx vertx, @TempDir Path dataDir) {
    this.vertx = vertx;
    DashboardFixture fixture = new DashboardFixture(vertx, dataDir, Duration.ofMillis(200));
    gateway = fixture.gateway;
    port = fixture.port;
    clock = fixture.clock;
    api = fixture.api;
    http = vertx.createHttpClient();
    sockets = vertx.createWebSocketClient();
    admin = fixture.admin;
    operator = fixture.operator;
    key4 = api.post("/api/orgs/4/api-keys", admin, null).json().getString("key");
  }

  @AfterAll
  void close() {
    api.close();
    await(http.close());
    await(sockets.close());
  }

  // ---- Server-Sent Events ----

  @Test
  void anOperatorsStreamCarriesItsOrgsChangesAndNeverAnotherOrgs() {
    Sse stream = Sse.open(http, port, operator);
    assertEquals(200, stream.response.statusCode());
    assertTrue(stream.response.getHeader("Content-Type").startsWith("text/event-stream"));
    assertEquals("no-store", stream.response.getHeader("Cache-Control"));
    publish(change("2", true));
    StateChange mine = change("4", true);
    publish(mine);
    eventually(() -> stream.text().contains("\"org\":\"4\""), "org 4's change arrives");
    publish(change("2", false));
    publish(change("4", false));
    eventually(() -> stream.text().split("\"org\":\"4\"", -1).length == 3, "both changes of org 4");
    String text = stream.text();
    assertFalse(text.contains("\"org\":\"2\""), "org 2 must never reach an operator of org 4");
    assertTrue(text.contains("event: state\nid: " + mine.seq() + "\ndata: {"), text);
    assertTrue(text.contains("2@secret-qr-4"), "a person of the org sees its QR");
    stream.close();
  }

  @Test
  void aKeysStreamNeverCarriesAQrOrPairingCode() {
    Sse stream = Sse.open(http, port, Login.key(key4));
    assertEquals(200, stream.response.statusCode());
    publish(change("4", true));
    eventually(() -> stream.text().contains("\"org\":\"4\""), "org 4's change arrives");
    String text = stream.text();
    assertFalse(text.contains("secret-qr"), text);
    assertFalse(text.contains("PAIR-CODE"), text);
    assertTrue(text.contains("\"to\":\"QR_REQUIRED\""), text);
    stream.close();
  }

  @Test
  void anAdminsStreamCarriesEveryOrgWithItsQrAndHeartbeats() {
    Sse stream = Sse.open(http, port, admin);
    publish(change("2", true));
    publish(change("4", true));
    eventually(() -> stream.text().contains("2@secret-qr-2") && stream.text().contains("2@secret-qr-4"),
        "both orgs with their QR");
    eventually(() -> stream.text().contains(": heartbeat"), "a heartbeat comment");
    stream.close();
  }

  @Test
  void theStreamNeedsALoginOrAKey() {
    assertEquals(401, api.get("/api/stream", Login.NONE).status());
    assertEquals(401, api.get("/api/stream", Login.key("vgk_forged")).status());
  }

  // ---- SockJS event-bus bridge ----

  @Test
  void anOperatorOnTheBridgeIsRefusedAnotherOrgAndReceivesOnlyItsOwn() {
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + operator.sessionCookie()));
    bridge.register(StateChange.addressFor("2"));
    JsonObject refused = bridge.next();
    assertEquals("err", refused.getString("type"), refused.encode());
    bridge.register(StateChange.addressFor("4"));
    JsonObject received = receiveWhilePublishing(bridge, "4");
    assertEquals(StateChange.addressFor("4"), received.getString("address"));
    assertEquals("4", received.getJsonObject("body").getString("org"));
    assertEquals("2@secret-qr-4", received.getJsonObject("body").getJsonObject("qr").getString("payload"));
    for (JsonObject frame : bridge.all()) {
      assertFalse(frame.encode().contains("\"org\":\"2\""), "org 2 reached the operator: " + frame);
    }
    bridge.close();
  }

  @Test
  void aKeyOnTheBridgeGetsItsOrgWithoutTheQrAndNothingElse() {
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .addHeader("X-Api-Key", key4));
    bridge.register(StateChange.addressFor("2"));
    assertEquals("err", bridge.next().getString("type"));
    bridge.register("vigia.gateway.clear");
    assertEquals("err", bridge.next().getString("type"));
    bridge.register(StateChange.addressFor("4"));
    JsonObject received = receiveWhilePublishing(bridge, "4");
    assertNull(received.getJsonObject("body").getValue("qr"), received.encode());
    assertNull(received.getJsonObject("body").getValue("pairingCode"), received.encode());
    assertFalse(received.encode().contains("secret-qr"));
    bridge.close();
  }

  @Test
  void nothingGoesFromTheBridgeOntoTheBus() {
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + admin.sessionCookie()));
    int before = gateway.seen().size();
    bridge.send(new JsonObject().put("type", "send").put("address", GatewayAddresses.CLEAR)
        .put("body", new JsonObject().put("org", "4").put("actor", "x").put("reason", "y"))
        .put("replyAddress", "r1"));
    assertEquals("err", bridge.next().getString("type"));
    bridge.send(new JsonObject().put("type", "publish").put("address", StateChange.addressFor("4"))
        .put("body", Json.toJson(change("4", false))));
    assertEquals("err", bridge.next().getString("type"));
    assertEquals(before, gateway.seen().size(), "no request reached the gateway");
    bridge.close();
  }

  @Test
  void aTicketOpensOneSocketOnceWithinThirtySecondsAndAKeysTicketNeverCarriesTheQr() {
    Reply issued = api.post("/api/eventbus/ticket", Login.key(key4), null);
    assertEquals(201, issued.status(), issued.body());
    String ticket = issued.json().getString("ticket");
    assertEquals(clock.instant().plusSeconds(30).toString(), issued.json().getString("expiresAt"));
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .setURI("/eventbus/websocket?ticket=" + ticket));
    bridge.register(StateChange.addressFor("4"));
    JsonObject received = receiveWhilePublishing(bridge, "4");
    assertNull(received.getJsonObject("body").getValue("qr"), received.encode());
    assertFalse(received.encode().contains("secret-qr"));
    assertFalse(bridge.closed.get());

    Bridge reused = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .setURI("/eventbus/websocket?ticket=" + ticket));
    eventually(reused.closed::get, "a used ticket opens nothing");

    String late = api.post("/api/eventbus/ticket", Login.key(key4), null).json().getString("ticket");
    clock.advance(Duration.ofSeconds(31));
    Bridge expired = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .setURI("/eventbus/websocket?ticket=" + late));
    eventually(expired.closed::get, "an expired ticket opens nothing");
    bridge.close();
  }

  @Test
  void aPersonsTicketOpensASocketWithItsOrgsQr() {
    Reply issued = api.post("/api/eventbus/ticket", operator, null);
    assertEquals(201, issued.status(), issued.body());
    assertEquals(403, api.post("/api/eventbus/ticket", operator.withoutXsrf(), null).status(),
        "a browser's POST carries its XSRF token");
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .setURI("/eventbus/websocket?ticket=" + issued.json().getString("ticket")));
    bridge.register(StateChange.addressFor("2"));
    assertEquals("err", bridge.next().getString("type"), "not the operator's org");
    bridge.register(StateChange.addressFor("4"));
    JsonObject received = receiveWhilePublishing(bridge, "4");
    assertEquals("2@secret-qr-4", received.getJsonObject("body").getJsonObject("qr")
        .getString("payload"));
    bridge.close();
  }

  @Test
  void anApiKeyInTheBridgeUrlIsRefusedBeforeAnySocketOpens() {
    for (String path : List.of("/eventbus/info?apiKey=" + key4,
        "/eventbus/websocket?apiKey=" + key4, "/eventbus/1/abc/xhr_streaming?apiKey=" + key4)) {
      Reply refused = api.get(path, Login.NONE);
      assertEquals(400, refused.status(), path + " " + refused.body());
      assertEquals("api_key_in_url", refused.json().getString("code"));
      assertTrue(refused.json().getString("error").contains("/api/eventbus/ticket"), refused.body());
    }
  }

  @Test
  void peopleGetTheQrFromTheOrgsOwnAddressWhenTheAllOrgsAddressCarriesNone() {
    Sse admins = Sse.open(http, port, admin);
    Sse operators = Sse.open(http, port, operator);
    Sse keys = Sse.open(http, port, Login.key(key4));
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + operator.sessionCookie()));
    bridge.register(StateChange.addressFor("4"));
    StateChange four = change("4", true);
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonObject frame = null;
    while (frame == null && System.nanoTime() < deadline) {
      publishAsGateway(four);
      frame = bridge.poll(100);
    }
    assertTrue(frame != null && "rec".equals(frame.getString("type")), String.valueOf(frame));
    assertEquals("2@secret-qr-4", frame.getJsonObject("body").getJsonObject("qr").getString("payload"));
    publishAsGateway(change("2", true));
    eventually(() -> admins.text().contains("2@secret-qr-4") && admins.text().contains("2@secret-qr-2"),
        "an admin sees every org's QR");
    eventually(() -> operators.text().contains("2@secret-qr-4"), "the operator sees its org's QR");
    eventually(() -> keys.text().contains("\"org\":\"4\""), "the key sees the change");
    assertFalse(keys.text().contains("secret-qr"), keys.text());
    assertFalse(operators.text().contains("\"org\":\"2\""), operators.text());
    for (Sse s : List.of(admins, operators, keys)) {
      s.close();
    }
    bridge.close();
  }

  /**
   * Changes published back to back reach a stream in batches (issue 12): each still arrives as
   * its own event or frame, every one of them, in the order published, to each audience.
   */
  @Test
  void aBurstOfChangesArrivesWholeAndInOrderOnEveryStreamAndSocket() {
    Sse admins = Sse.open(http, port, admin);
    Sse operators = Sse.open(http, port, operator);
    Sse keys = Sse.open(http, port, Login.key(key4));
    Bridge bridge = Bridge.open(sockets, port, new WebSocketConnectOptions()
        .addHeader("Cookie", "vigia_session=" + operator.sessionCookie()));
    bridge.register(StateChange.addressFor("4"));
    receiveWhilePublishing(bridge, "4"); // the registration is in place
    List<StateChange> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      burst.add(change("4", true));
      burst.add(change("2", true));
    }
    List<Long> fours = burst.stream().filter(c -> c.org().equals("4")).map(StateChange::seq)
        .toList();
    List<Long> all = burst.stream().map(StateChange::seq).toList();
    // one event-loop task publishes them all, so they are queued together and flushed together
    vertx.runOnContext(v -> burst.forEach(this::publishAsGateway));
    eventually(() -> seqs(admins, null).containsAll(all), "the admin gets every change");
    eventually(() -> seqs(operators, "4").containsAll(fours), "the operator gets org 4's");
    eventually(() -> seqs(keys, "4").containsAll(fours), "the key gets org 4's");
    eventually(() -> bridgeSeqs(bridge).containsAll(fours), "the bridge gets org 4's");
    assertEquals(all, seqs(admins, null).stream().filter(all::contains).toList());
    assertEquals(fours, seqs(operators, "4").stream().filter(fours::contains).toList());
    assertEquals(fours, seqs(keys, "4").stream().filter(fours::contains).toList());
    assertEquals(fours, bridgeSeqs(bridge).stream().filter(fours::contains).toList());
    assertTrue(seqs(operators, "2").isEmpty(), "org 2 never reaches an operator of org 4");
    assertFalse(keys.text().contains("secret-qr"), "a key never gets a QR, batched or not");
    for (Sse s : List.of(admins, operators, keys)) {
      s.close();
    }
    bridge.close();
  }

  @Test
  void aBridgeSocketWithoutCredentialsIsClosed() {
    for (WebSocketConnectOptions options : List.of(new WebSocketConnectOptions(),
        new WebSocketConnectOptions().addHeader("X-Api-Key", "vgk_forged"),
        new WebSocketConnectOptions().setURI("/eventbus/websocket?ticket=forged"),
        new WebSocketConnectOptions().addHeader("Cookie", "vigia_session=forged"),
        // a page of another site riding on the admin's cookie
        new WebSocketConnectOptions().addHeader("Cookie", "vigia_session=" + admin.sessionCookie())
            .addHeader("Origin", "https://evil.example"))) {
      Bridge bridge = Bridge.open(sockets, port, options);
      eventually(bridge.closed::get, "the socket is closed: " + options.getHeaders());
    }
  }

  @Test
  void aBridgeSocketDroppedAbruptlyLogsNoError() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    root.addAppender(log);
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Cookie: vigia_session=" + admin.sessionCookie() + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      assertEquals(12, raw.getInputStream().readNBytes(head, 0, 12));
      assertEquals("HTTP/1.1 101", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
      Thread.sleep(200); // the test thread: let the server accept the socket
      raw.setSoLinger(true, 0); // close with a TCP reset, as a client that vanishes does
    }
    Thread.sleep(500); // the test thread: let the server see the reset
    root.detachAppender(log);
    List<String> errors = log.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    assertTrue(errors.isEmpty(), "an ordinary disconnect is no server error: " + errors);
  }

  // ---- helpers ----

  /** Publishes org's changes until one arrives (registration is asynchronous), bounded. */
  private JsonObject receiveWhilePublishing(Bridge bridge, String org) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      publish(change("2", true));
      publish(change(org, true));
      JsonObject frame = bridge.poll(100);
      while (frame != null) {
        if ("rec".equals(frame.getString("type"))
            && StateChange.addressFor(org).equals(frame.getString("address"))) {
          return frame;
        }
        frame = bridge.poll(50);
      }
    }
    throw new AssertionError("no change of org " + org + " arrived; got " + bridge.all());
  }

  /** The seqs of the stream's state events, of {@code org} (null: any), as they arrived. */
  private static List<Long> seqs(Sse stream, String org) {
    List<Long> seqs = new ArrayList<>();
    String text = stream.text();
    // an event ends with a blank line: what follows the last one is still arriving
    for (String event : text.substring(0, text.lastIndexOf("\n\n") + 1).split("\n\n")) {
      int data = event.indexOf("\ndata: ");
      if (event.startsWith("event: state\n") && data > 0) {
        JsonObject change = new JsonObject(event.substring(data + 7));
        if (org == null || org.equals(change.getString("org"))) {
          seqs.add(change.getLong("seq"));
        }
      }
    }
    return seqs;
  }

  private static List<Long> bridgeSeqs(Bridge bridge) {
    return bridge.all().stream().filter(f -> "rec".equals(f.getString("type")))
        .map(f -> f.getJsonObject("body").getLong("seq")).toList();
  }

  private StateChange change(String org, boolean secrets) {
    return new StateChange(org, SessionState.STARTING, SessionState.QR_REQUIRED, null,
        secrets ? new SessionView.QrCode("2@secret-qr-" + org, Instant.parse("2026-01-01T10:01:00Z"))
            : null,
        secrets ? new SessionView.PairingCode("PAIR-CODE", Instant.parse("2026-01-01T10:01:00Z"))
            : null,
        null, null, Instant.parse("2026-01-01T10:00:00Z"), seq.incrementAndGet());
  }

  /**
   * As the gateway did before issue 7: the whole change on the common address too. Keys must
   * still never see a secret, whichever gateway runs.
   */
  private void publish(StateChange change) {
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toBuffer(change));
    vertx.eventBus().publish(StateChange.addressFor(change.org()), Json.toJson(change));
  }

  /**
   * As the gateway does now: secrets only on the org's own address, each change as JSON text
   * (the feed sends that text as it came, reading only its org, seq and whether it holds secrets).
   */
  private void publishAsGateway(StateChange change) {
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toBuffer(change.withoutSecrets()));
    vertx.eventBus().publish(StateChange.addressFor(change.org()), Json.toBuffer(change));
  }

  private static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20); // the test thread, never an event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** An open SSE response whose text accumulates as it arrives. */
  private record Sse(HttpClientResponse response, StringBuffer buffer) {
    static Sse open(HttpClient http, int port, Login login) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(port).setURI("/api/stream").addHeader("Accept", "text/event-stream");
      if (login.sessionCookie() != null) {
        options.addHeader("Cookie", "vigia_session=" + login.sessionCookie());
      }
      if (login.apiKey() != null) {
        options.addHeader("X-Api-Key", login.apiKey());
      }
      StringBuffer buffer = new StringBuffer();
      HttpClientResponse response = await(http.request(options).compose(req -> req.send())
          .onSuccess(resp -> resp.handler(b -> buffer.append(b.toString()))));
      return new Sse(response, buffer);
    }

    String text() {
      return buffer.toString();
    }

    void close() {
      response.exceptionHandler(closedByUs -> { });
      response.request().connection().close();
    }
  }

  /** A raw WebSocket on {@code /eventbus/websocket} speaking the bridge's JSON frames. */
  private record Bridge(WebSocket socket, BlockingQueue<JsonObject> frames, List<JsonObject> seen,
      AtomicBoolean closed) {

    static Bridge open(WebSocketClient client, int port, WebSocketConnectOptions options) {
      options.setHost("127.0.0.1").setPort(port);
      if (options.getURI() == null || options.getURI().equals("/")) {
        options.setURI("/eventbus/websocket");
      }
      BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
      List<JsonObject> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean closed = new AtomicBoolean();
      WebSocket ws = await(client.connect(options).onSuccess(s -> {
        s.handler(b -> {
          JsonObject frame = new JsonObject(b.toString());
          seen.add(frame);
          frames.add(frame);
        });
        s.closeHandler(v -> closed.set(true));
      }));
      return new Bridge(ws, frames, seen, closed);
    }

    void register(String address) {
      send(new JsonObject().put("type", "register").put("address", address));
    }

    void send(JsonObject frame) {
      await(socket.writeTextMessage(frame.encode()));
    }

    JsonObject next() {
      JsonObject frame = poll(WAIT.toMillis());
      if (frame == null) {
        throw new AssertionError("no frame arrived");
      }
      return frame;
    }

    JsonObject poll(long millis) {
      try {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    List<JsonObject> all() {
      return List.copyOf(seen);
    }

    void close() {
      if (!closed.get()) {
        await(socket.close());
      }
    }
  }
}
