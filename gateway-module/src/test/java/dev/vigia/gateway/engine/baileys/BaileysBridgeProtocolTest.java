package dev.vigia.gateway.engine.baileys;

import static dev.vigia.gateway.engine.baileys.RecordingListener.next;
import static dev.vigia.gateway.store.Await.failure;
import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.session.Activity;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM side of the bridge protocol, against a scripted bridge ({@code scripted-bridge.mjs}, run
 * by a stand-in {@code node}) that plays what only a real WhatsApp could make Baileys say: QR
 * rotations, a pairing code, an open connection, a send, a decrypt failure, a 440. It also prints
 * garbage first, which the JVM must shrug off.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BaileysBridgeProtocolTest {

  private static final Path WORK_DIR = Path.of("target", "baileys-engine").toAbsolutePath();
  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");
  private static final long WAIT = 30;

  private final RecordingStore store = new RecordingStore(new InMemoryAuthStateStore(Clock.systemUTC()));
  private BaileysEngine engine;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path bridge = tmp.resolve("scripted-bridge.mjs");
    try (var in = getClass().getResourceAsStream("scripted-bridge.mjs")) {
      Files.write(bridge, in.readAllBytes());
    }
    // a stand-in for node: the real one for --version, the scripted bridge instead of engine.mjs
    Path fakeNode = tmp.resolve("node");
    Files.writeString(fakeNode, "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then exec " + NODE
        + " --version; fi\nexec " + NODE + " " + bridge + "\n");
    Files.setPosixFilePermissions(fakeNode, PosixFilePermissions.fromString("rwx------"));
    engine = new BaileysEngine(vertx, WORK_DIR, fakeNode.toString(), "ws://127.0.0.1:9/ws/chat",
        Clock.systemUTC());
    result(engine.ready(), 180);
  }

  @AfterEach
  void tearDown() throws Exception {
    result(engine.close(), WAIT);
  }

  /** A new run of the org's session over the recording store. */
  private RunAuthState run(String org) throws Exception {
    return result(RunAuthState.open(store, org), WAIT);
  }

  @Test
  void qrRotationsReachTheListenerInOrder() throws Exception {
    RecordingListener listener = new RecordingListener();
    result(engine.open(run("qr"), listener).start(null), WAIT);
    assertEquals("2@first", next(listener.qrs, WAIT));
    assertEquals("2@second", next(listener.qrs, WAIT));
  }

  @Test
  void aPairingCodeIsAskedForTheGivenPhoneDigits() throws Exception {
    RecordingListener listener = new RecordingListener();
    result(engine.open(run("pair"), listener).start("+52 1 555 000 1111"), WAIT);
    assertEquals("ABCD1234", next(listener.codes, WAIT));
  }

  @Test
  void anOpenSessionReportsItsAccountSendsAndDecryptFailures() throws Exception {
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("linked"), listener);
    result(session.start(null), WAIT);
    assertEquals("5215550001111:7@s.whatsapp.net", next(listener.opens, WAIT).jid());
    Activity decrypt = next(listener.activities, WAIT);
    assertEquals(Activity.DECRYPT_FAILURE, decrypt.kind());
    assertEquals("5215550002222@s.whatsapp.net", decrypt.contact());
    assertEquals("Bad MAC", decrypt.detail());

    SendReceipt receipt = result(session.send("5215550003333", "hola", "k1"), WAIT);
    assertEquals(new SendReceipt("MSG-5215550003333", "sent"), receipt);
    Activity sent = next(listener.activities, WAIT);
    assertEquals(Activity.MESSAGE_SENT, sent.kind());
    assertEquals("5215550003333", sent.contact());

    Throwable failed = failure(session.send("5215550003333", "fail", null), WAIT);
    assertTrue(failed.getMessage().contains("not on WhatsApp"), failed.getMessage());
    assertEquals(Activity.MESSAGE_FAILED, next(listener.activities, WAIT).kind());
  }

  @Test
  void aCredsWriteOvertakenByAClearCreatesNothing(Vertx vertx, @TempDir Path data)
      throws Exception {
    FileAuthStateStore files = new FileAuthStateStore(vertx, data, Clock.systemUTC());
    result(files.open(), WAIT);
    AtomicReference<EngineSession> session = new AtomicReference<>();
    // a person clears the org: the gateway closes the session, then archives its state
    RecordingStore racing = new RecordingStore(files);
    racing.beforeCredsWrite = () -> session.get().close()
        .compose(v -> files.clear("late-creds", "cleared by a person"));
    session.set(engine.open(result(RunAuthState.open(racing, "late-creds"), WAIT),
        new RecordingListener()));
    // the clear may close the session before or after it reports started: either is fine
    session.get().start(null);

    assertFalse(result(racing.firstCredsWrite.future(), WAIT), "the late write was accepted");
    assertNull(result(files.readCreds("late-creds"), WAIT));
    assertFalse(Files.exists(data.resolve(FileAuthStateStore.SESSIONS_DIR).resolve("late-creds")),
        "a late creds write brought the cleared session back (creds and no keys)");
  }

  @Test
  void aConflictArrivesAsTheConflictCause() throws Exception {
    RecordingListener listener = new RecordingListener();
    result(engine.open(run("conflict"), listener).start(null), WAIT);
    assertEquals(Cause.conflict(), listener.nextClose(WAIT));
  }

  @Test
  void garbageAndRequestsForUnknownSessionsAreRefusedWithoutTouchingTheStore() throws Exception {
    // the bridge printed garbage and asked creds for an unknown session before "ready"
    RecordingListener listener = new RecordingListener();
    EngineSession session = engine.open(run("pair"), listener);
    result(session.start("5215550001111"), WAIT);
    assertEquals("ABCD1234", next(listener.codes, WAIT));
    assertTrue(store.calls.isEmpty(), "store calls: " + store.calls);

    result(session.close(), WAIT);
    // the bridge answers a close with a late QR, before it starts the next session
    RecordingListener other = new RecordingListener();
    result(engine.open(run("pair"), other).start("5215550001111"), WAIT);
    assertEquals("ABCD1234", next(other.codes, WAIT));
    assertTrue(listener.qrs.isEmpty() && other.qrs.isEmpty(), "a closed session reported a QR");
    assertTrue(store.calls.isEmpty(), "store calls: " + store.calls);
  }
}
