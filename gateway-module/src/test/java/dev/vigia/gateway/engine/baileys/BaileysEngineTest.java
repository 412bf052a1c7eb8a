package dev.vigia.gateway.engine.baileys;

import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.session.StateAfterClose;
import dev.vigia.gateway.store.BaileysFixtures;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Node.js process with the real pinned Baileys, against a fake WhatsApp on 127.0.0.1
 * (never WhatsApp's servers). Needs {@code node} (20+) and {@code npm}: without them these fail.
 * Baileys is installed once into {@code target/baileys-engine}, shared by the tests.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BaileysEngineTest {

  private static final Path WORK_DIR = Path.of("target", "baileys-engine").toAbsolutePath();
  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");
  /** The first start may run {@code npm ci}. */
  private static final long READY_SECONDS = 180;
  private static final long WAIT_SECONDS = 30;
  private static final Set<SessionState> TRANSIENT = Set.of(SessionState.RECONNECTING);

  private Vertx vertx;
  private FakeWhatsAppServer whatsApp;
  private FileAuthStateStore files;
  private RecordingStore store;
  private BaileysEngine engine;
  @TempDir
  Path dataDir;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    whatsApp = result(FakeWhatsAppServer.start(vertx), WAIT_SECONDS);
    files = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    store = new RecordingStore(files);
    engine = new BaileysEngine(vertx, WORK_DIR, NODE, whatsApp.url(), Clock.systemUTC());
    result(engine.ready(), READY_SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (engine != null) {
      result(engine.close(), WAIT_SECONDS);
    }
    result(whatsApp.stop(), WAIT_SECONDS);
  }

  @Test
  void linkedCredentialsAreReadThroughTheStoreAndBaileysDialsTheConfiguredServer() throws Exception {
    importFixture("fixture");
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("fixture"), listener);
    result(session.start(null), WAIT_SECONDS);

    FakeWhatsAppServer.Hello hello = whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(hello, "Baileys never connected to the fake server");
    // Baileys' Noise prologue: "WA" then the protocol version
    assertEquals("WA", hello.frame().getString(0, 2));
    assertTrue(store.calls.contains("creds.read fixture"), "calls: " + store.calls);
    // Baileys' key reads come through the store too (its tc-token index, at socket creation)
    assertTrue(store.calls.contains("keys.get fixture tctoken"), "calls: " + store.calls);
    // the linked creds were read, not replaced by fresh ones
    assertTrue(store.calls.stream().noneMatch(c -> c.startsWith("creds.write")), "calls: " + store.calls);
    assertEquals(Set.of(), Set.copyOf(listener.closes));
  }

  @Test
  void theServerClosingTheConnectionClosesTheSessionWithATransientCause() throws Exception {
    importFixture("fixture");
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("fixture"), listener);
    result(session.start(null), WAIT_SECONDS);
    FakeWhatsAppServer.Hello hello = whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(hello, "Baileys never connected to the fake server");

    result(hello.socket().close(), WAIT_SECONDS);

    Cause cause = listener.nextClose(WAIT_SECONDS);
    assertTrue(TRANSIENT.contains(StateAfterClose.of(cause)), "not transient: " + cause);
    assertNotEquals(BaileysCauses.engineStopped(), cause, "the process must not have died");
    assertTrue(engine.processHandle().isPresent());
  }

  @Test
  void anOrgWithoutCredentialsGetsFreshOnesWrittenThroughTheStoreInBufferJson() throws Exception {
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("fresh"), listener);
    result(session.start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS), "Baileys never connected");

    assertTrue(store.calls.contains("creds.write fresh"), "calls: " + store.calls);
    Path credsFile = dataDir.resolve(FileAuthStateStore.SESSIONS_DIR).resolve("fresh").resolve("creds.json");
    assertTrue(Files.exists(credsFile), "no creds.json in the file store");
    JsonObject creds = new JsonObject(Files.readString(credsFile));
    JsonObject noisePrivate = creds.getJsonObject("noiseKey").getJsonObject("private");
    assertEquals("Buffer", noisePrivate.getString("type"));
    assertEquals(32, java.util.Base64.getDecoder().decode(noisePrivate.getString("data")).length);
    assertEquals(Boolean.FALSE, creds.getBoolean("registered"));
    assertNotNull(creds.getString("advSecretKey"));

    // the next start revives those creds (BufferJSON.reviver) instead of making new ones
    String written = Files.readString(credsFile);
    result(session.close(), WAIT_SECONDS);
    store.calls.clear();
    result(engine.open(run("fresh"), new RecordingListener()).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS), "Baileys never reconnected");
    assertTrue(store.calls.contains("creds.read fresh"), "calls: " + store.calls);
    assertTrue(store.calls.stream().noneMatch(c -> c.startsWith("creds.write")), "calls: " + store.calls);
    assertEquals(written, Files.readString(credsFile));
  }

  @Test
  void aCredsWriteTheStoreRefusesEndsTheSessionWithItsOwnCause() throws Exception {
    store.refuseCredsWrites = true;
    RecordingListener listener = new RecordingListener();

    result(engine.open(result(RunAuthState.open(store, "full-disk"), WAIT_SECONDS), listener).start(null), WAIT_SECONDS);

    // not logged and dropped: the run closes, so the gateway records it and the monitor retries
    Cause cause = listener.nextClose(WAIT_SECONDS);
    assertEquals(Cause.CREDS_WRITE_FAILED, cause.reason(), cause.toString());
    assertTrue(cause.message().contains("No space left on device"), cause.message());
    assertEquals(SessionState.RECONNECTING, StateAfterClose.of(cause));
    assertTrue(store.calls.contains("creds.write full-disk"), "calls: " + store.calls);
    assertTrue(engine.processHandle().isPresent(), "the process must stay up");
  }

  @Test
  void killingNodeClosesEveryOpenSessionAndTheSupervisorStartsANewProcess() throws Exception {
    importFixture("fixture");
    RecordingListener linked = new RecordingListener();
    RecordingListener fresh = new RecordingListener();
    result(engine.open(run("fixture"), linked).start(null), WAIT_SECONDS);
    result(engine.open(run("fresh"), fresh).start(null), WAIT_SECONDS);
    ProcessHandle first = engine.processHandle().orElseThrow();

    first.destroyForcibly();

    assertEquals(BaileysCauses.engineStopped(), linked.nextClose(WAIT_SECONDS));
    assertEquals(BaileysCauses.engineStopped(), fresh.nextClose(WAIT_SECONDS));
    assertTrue(first.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS) != null);
    result(engine.ready(), WAIT_SECONDS);
    ProcessHandle second = engine.processHandle().orElseThrow();
    assertNotEquals(first.pid(), second.pid());

    whatsApp.hellos.clear();
    RecordingListener again = new RecordingListener();
    result(engine.open(run("fixture"), again).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS),
        "the new process did not connect");
  }

  /**
   * The old {@code pm2 restart whatsapp-server}: an operator's restart stops the process and
   * starts a new one at once; the sessions it held are closed without events (the gateway ended
   * their runs and tells the monitor itself), and new sessions open on the new process.
   */
  @Test
  void anOperatorsRestartReplacesTheProcessAndNewSessionsOpenOnTheNewOne() throws Exception {
    importFixture("fixture");
    RecordingListener before = new RecordingListener();
    result(engine.open(run("fixture"), before).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS), "Baileys never connected");
    ProcessHandle first = engine.processHandle().orElseThrow();

    result(engine.restart(), WAIT_SECONDS);

    assertTrue(first.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS) != null, "the old process ended");
    ProcessHandle second = engine.processHandle().orElseThrow();
    assertNotEquals(first.pid(), second.pid());
    assertEquals(Set.of(), Set.copyOf(before.closes), "events of a session the restart closed: "
        + before.events);
    whatsApp.hellos.clear();
    RecordingListener after = new RecordingListener();
    result(engine.open(run("fixture"), after).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS),
        "the new process did not connect");
    assertEquals(second.pid(), engine.processHandle().orElseThrow().pid());
  }

  @Test
  void badInputNeverBreaksTheBridge() throws Exception {
    long pid = engine.processHandle().orElseThrow().pid();
    engine.sendRawLine("this is not json");
    engine.sendRawLine("[1, 2, 3]");
    engine.sendRawLine("{\"op\":\"launch_missiles\"}");
    engine.sendRawLine("{\"op\":\"start\"}");
    engine.sendRawLine("{\"op\":\"send\",\"sid\":987654,\"to\":\"1\",\"text\":\"x\",\"id\":\"a\"}");
    engine.sendRawLine("{\"op\":\"reply\",\"req\":987654,\"ok\":true}");
    engine.sendRawLine("{\"op\":\"__proto__\"}");
    engine.sendRawLine("{\"op\":\"toString\"}");

    RecordingListener listener = new RecordingListener();
    result(engine.open(run("after"), listener).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS), "Baileys never connected");
    assertEquals(pid, engine.processHandle().orElseThrow().pid(), "the process restarted");
    assertEquals(Set.of(), Set.copyOf(listener.closes));
  }

  @Test
  void aSendTheBridgeRefusesFailsAtOnceNotAtItsTimeout() throws Exception {
    EngineSession session = engine.open(run("gone"), new RecordingListener());
    result(session.start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS), "Baileys never connected");
    // Node drops its side (sid 1: this engine's first session) while the JVM still holds it
    engine.sendRawLine("{\"op\":\"close\",\"sid\":1}");

    // far below the 60 s send timeout: the bridge's refusal names the send it refuses
    Throwable failed = failure(session.send("5215550003333", "hola", null), 10);
    assertTrue(failed.getMessage().contains("no such session"), failed.getMessage());
  }

  @Test
  void aClosedSessionSendsNoMoreEventsAndLeavesTheStoreAlone() throws Exception {
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("closing"), listener);
    result(session.start(null), WAIT_SECONDS);
    FakeWhatsAppServer.Hello hello = whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(hello);

    result(session.close(), WAIT_SECONDS);
    result(files.clear("closing", "test"), WAIT_SECONDS);
    hello.socket().close();

    // a later session proves the bridge handled the close before it
    RecordingListener next = new RecordingListener();
    result(engine.open(run("other"), next).start(null), WAIT_SECONDS);
    assertNotNull(whatsApp.hellos.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(Set.of(), Set.copyOf(listener.closes), "events after close: " + listener.events);
    assertEquals(null, result(files.readCreds("closing"), WAIT_SECONDS),
        "the closed session wrote creds after the clear");
  }

  @Test
  void aMissingNodeLeavesTheEngineUnreadyWithAReasonNamingVigiaNode() throws Exception {
    BaileysEngine broken = new BaileysEngine(vertx, WORK_DIR, "/nonexistent/node", whatsApp.url(),
        Clock.systemUTC());
    try {
      Throwable failure = failure(broken.ready(), WAIT_SECONDS);
      assertTrue(failure.getMessage().contains("VIGIA_NODE"), failure.getMessage());
      Throwable refused = failure(broken.open(run("x"), new RecordingListener()).start(null),
          WAIT_SECONDS);
      assertNotNull(refused);
    } finally {
      result(broken.close(), WAIT_SECONDS);
    }
  }

  /** A new run of the org's session over the recording store. */
  private RunAuthState run(String org) throws Exception {
    return result(RunAuthState.open(store, org), WAIT_SECONDS);
  }

  private void importFixture(String org) throws Exception {
    Path fixture = BaileysFixtures.org();
    Path copy = Files.createTempDirectory(dataDir, "fixture");
    try (Stream<Path> all = Files.list(fixture)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    result(files.importBaileysFolder(org, copy), WAIT_SECONDS);
  }
}
