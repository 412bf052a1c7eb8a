package dev.vigia.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code @vertx/eventbus-bridge-client.js} over {@code sockjs-client}, unmodified, in
 * Node (the pinned project under {@code src/test/node/bridge-client}), opens {@code /eventbus}
 * with a single-use ticket: no API key ever travels in its URLs. Needs node (≥ 20) and npm, and
 * the npm registry once (the packages go to {@code target/bridge-client}).
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OfficialBridgeClientTest {

  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");
  private static final Path PROJECT = Path.of("src", "test", "node", "bridge-client");
  private static final Path INSTALLED = Path.of("target", "bridge-client");

  private Vertx vertx;
  private DashboardFixture fixture;
  private String key4;
  private final AtomicLong seq = new AtomicLong();

  @BeforeAll
  void installTheClientAndDeploy(Vertx vertx, @TempDir Path dataDir) throws Exception {
    this.vertx = vertx;
    install();
    fixture = new DashboardFixture(vertx, dataDir, null);
    key4 = fixture.api.post("/api/orgs/4/api-keys", fixture.admin, null).json().getString("key");
  }

  @AfterAll
  void close() {
    fixture.api.close();
  }

  @Test
  void aKeysTicketOverWebSocketGetsItsOrgWithoutTheQrAndIsRefusedAnother() throws Exception {
    try (Client client = Client.start(url(ticket(Login.key(key4))), null,
        StateChange.addressFor("4"), StateChange.addressFor("2"))) {
      assertEquals("open", client.next().getString("event"));
      JsonObject message = client.messageWhile(() -> publish("4"));
      assertEquals("4", message.getJsonObject("body").getString("org"));
      assertNull(message.getJsonObject("body").getValue("qr"), message.encode());
      JsonObject refused = client.find("refused");
      assertEquals(StateChange.addressFor("2"), refused.getString("address"));
      assertEquals("access_denied", refused.getJsonObject("err").getString("failureType"));
      assertFalse(client.seen().contains("secret-qr"), client.seen());
    }
  }

  @Test
  void aLoginsTicketOverXhrStreamingGetsItsOrgsQr() throws Exception {
    try (Client client = Client.start(url(ticket(fixture.operator)), "xhr-streaming",
        StateChange.addressFor("4"))) {
      assertEquals("open", client.next().getString("event"));
      JsonObject message = client.messageWhile(() -> publish("4"));
      assertEquals("2@secret-qr-4", message.getJsonObject("body").getJsonObject("qr")
          .getString("payload"));
    }
  }

  @Test
  void aUsedTicketOpensNothing() throws Exception {
    String ticket = ticket(Login.key(key4));
    try (Client first = Client.start(url(ticket), null, StateChange.addressFor("4"))) {
      assertEquals("open", first.next().getString("event"));
      try (Client second = Client.start(url(ticket), null, StateChange.addressFor("4"))) {
        // SockJS says "open" before the server has read the ticket; the server then closes it
        second.find("close");
        publish("4");
        assertFalse(second.seen().contains("\"message\""), second.seen());
      }
    }
  }

  private String ticket(Login login) {
    Reply r = fixture.api.post("/api/eventbus/ticket", login, null);
    assertEquals(201, r.status(), r.body());
    return r.json().getString("ticket");
  }

  private String url(String ticket) {
    return "http://127.0.0.1:" + fixture.port + "/eventbus?ticket=" + ticket;
  }

  /** As the gateway publishes: secrets only on the org's own address. */
  private void publish(String org) {
    StateChange change = new StateChange(org, SessionState.STARTING, SessionState.QR_REQUIRED,
        null, new SessionView.QrCode("2@secret-qr-" + org, Instant.parse("2026-01-01T10:01:00Z")),
        null, null, null, Instant.parse("2026-01-01T10:00:00Z"), seq.incrementAndGet());
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toJson(change.withoutSecrets()));
    vertx.eventBus().publish(StateChange.addressFor(org), Json.toJson(change));
  }

  /** Copies the pinned project to target/ and runs {@code npm ci} there once. */
  private static void install() throws Exception {
    Files.createDirectories(INSTALLED);
    for (String file : List.of("package.json", "package-lock.json", "subscribe.cjs")) {
      Files.copy(PROJECT.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.isDirectory(INSTALLED.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      return;
    }
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
          .directory(INSTALLED.toFile()).redirectErrorStream(true)
          .redirectOutput(INSTALLED.resolve("npm-ci.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("this test needs npm (and node 20+) on the PATH: " + e.getMessage());
    }
    assertTrue(npm.waitFor(240, TimeUnit.SECONDS), "npm ci finishes within 4 minutes");
    assertEquals(0, npm.exitValue(), "npm ci failed: " + Files.readString(
        INSTALLED.resolve("npm-ci.log")));
  }

  /** The Node client: its stdout lines as JSON, read on a thread of their own. */
  private record Client(Process process, BlockingQueue<JsonObject> lines, StringBuffer all)
      implements AutoCloseable {

    static Client start(String url, String transport, String... addresses) throws IOException {
      List<String> command = new java.util.ArrayList<>(List.of(NODE, "subscribe.cjs", url));
      command.addAll(List.of(addresses));
      ProcessBuilder pb = new ProcessBuilder(command).directory(INSTALLED.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      if (transport != null) {
        pb.environment().put("SOCKJS_TRANSPORTS", transport);
      }
      Process process = pb.start();
      BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
      StringBuffer all = new StringBuffer();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            all.append(line).append('\n');
            lines.add(new JsonObject(line));
          }
        } catch (IOException | RuntimeException ended) {
          // the process is gone
        }
      }, "bridge-client-stdout");
      reader.setDaemon(true);
      reader.start();
      return new Client(process, lines, all);
    }

    JsonObject next() throws InterruptedException {
      JsonObject line = lines.poll(20, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("the client printed nothing in 20 s: " + all);
      }
      return line;
    }

    /** Runs {@code publish} every 100 ms until a message arrives; bounded. */
    JsonObject messageWhile(Runnable publish) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        publish.run();
        JsonObject line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && "message".equals(line.getString("event"))) {
          return line;
        }
      }
      throw new AssertionError("no message arrived: " + all);
    }

    /** The first line of {@code event} printed so far. */
    JsonObject find(String event) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        for (String line : all.toString().split("\n")) {
          if (!line.isBlank() && event.equals(new JsonObject(line).getString("event"))) {
            return new JsonObject(line);
          }
        }
        Thread.sleep(50); // the test thread
      }
      throw new AssertionError("no " + event + " line: " + all);
    }

    String seen() {
      return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
