package dev.vigia.gateway.engine.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.storage.ChildJvm;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.Await;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Processes sharing one simulated WhatsApp (cluster mode's simulated engine) get the 440 conflict
 * when two of them log in with the same credentials, as they would from WhatsApp; a killed or
 * frozen process leaves its device offline, so the process that takes over gets none.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedWhatsAppTest {

  static final long SILENCE = 6000; // more than a loaded machine's start-up stalls
  static final Duration WAIT = Duration.ofSeconds(60);

  Vertx vertx;
  SharedWhatsAppServer server;
  String hostPort;
  String jid;

  @BeforeEach
  void sharedWhatsAppWithOneLinkedDevice() throws Exception {
    vertx = Vertx.vertx();
    server = new SharedWhatsAppServer("127.0.0.1", 0, SILENCE);
    Await.result(vertx.deployVerticle(server));
    hostPort = "127.0.0.1:" + server.actualPort();
    SimulatedWhatsApp phone = SimulatedWhatsApp.shared(vertx, hostPort);
    jid = Await.result(phone.link("5215550002"));
    Await.result(phone.close());
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void twoProcessesWithTheSameCredentialsGetTheConflictAsFromWhatsApp() throws Exception {
    try (ChildJvm first = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
      first.awaitLine(WAIT, "OPEN " + jid);
      assertEquals(0, server.conflicts());

      try (ChildJvm second = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
        second.awaitLine(WAIT, "OPEN " + jid);
        first.awaitLine(WAIT, "CLOSE 440 " + Cause.CONFLICT);
        assertEquals(1, server.conflicts());
        assertFalse(second.printed("CLOSE"), "the newer client keeps the session");
      }
    }
  }

  @Test
  void aKilledOrFrozenProcessLeavesNoDeviceOnlineSoTheNextOneGetsNoConflict() throws Exception {
    try (ChildJvm killed = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
      killed.awaitLine(WAIT, "OPEN " + jid);
      killed.kill(); // kill -9
    }
    try (ChildJvm frozen = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
      frozen.awaitLine(WAIT, "OPEN " + jid);
      signal("STOP", frozen.pid());
      try {
        Thread.sleep(2 * SILENCE); // the test's thread: past the silence limit, it is dropped
        try (ChildJvm next = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
          next.awaitLine(WAIT, "OPEN " + jid);
          assertEquals(0, server.conflicts(), "nobody held the device any more");
          signal("CONT", frozen.pid());
          // resumed, it finds its link gone: its session ends as lost, not as a conflict
          frozen.awaitLine(WAIT, "CLOSE " + Cause.connectionLost().code() + " "
              + Cause.CONNECTION_LOST);
          assertEquals(0, server.conflicts());
          assertFalse(next.printed("CLOSE"), "the process that took over keeps the session");
        }
      } finally {
        signal("CONT", frozen.pid());
      }
    }
  }

  @Test
  void anUnreachableSharedWhatsAppEndsTheRunAs503NotAHang() throws Exception {
    Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next())); // the server goes
    Recorder listener = new Recorder();
    SimulatedEngine engine = engineOn(hostPort);
    try {
      open(engine, listener);
      assertEquals(Cause.UNAVAILABLE, listener.closed.poll(30, TimeUnit.SECONDS).reason());
      assertNull(listener.opened.poll(), "never open without the service");
    } finally {
      Await.result(engine.close());
    }
  }

  @Test
  void aLostLinkDropsTheSessionsAndTheNextRunLogsInAgain() throws Exception {
    Recorder first = new Recorder();
    SimulatedEngine engine = engineOn(hostPort);
    try {
      open(engine, first);
      assertEquals(jid, first.opened.poll(30, TimeUnit.SECONDS));
      int port = server.actualPort();
      Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
      assertEquals(Cause.CONNECTION_LOST, first.closed.poll(30, TimeUnit.SECONDS).reason());

      server = new SharedWhatsAppServer("127.0.0.1", port, SILENCE);
      Await.result(vertx.deployVerticle(server)); // back (it forgot who was online)
      Recorder next = new Recorder();
      open(engine, next);
      assertEquals(jid, next.opened.poll(30, TimeUnit.SECONDS), "a new link, the same device");
      assertEquals(0, server.conflicts());
    } finally {
      Await.result(engine.close());
    }
  }

  @Test
  void aClosedSessionIsOfflineAtTheSharedWhatsAppWhenItsCloseCompletes() throws Exception {
    // a cluster node lets an org's lease go when its session's close completes: the next owner's
    // login must not find the device still online there (a 440 for the next owner)
    SimulatedEngine engine = engineOn(hostPort);
    try {
      for (int round = 0; round < 20; round++) {
        Recorder listener = new Recorder();
        Opened session = open(engine, listener);
        assertEquals(jid, listener.opened.poll(30, TimeUnit.SECONDS));
        assertTrue(Await.result(server.isOnline(jid)), "online while open");
        Promise<Void> closed = Promise.promise();
        session.context().runOnContext(v -> session.session().close().onComplete(closed));
        Await.result(closed.future());
        assertFalse(Await.result(server.isOnline(jid)), "offline once the close completed, round "
            + round);
      }
      assertEquals(0, server.conflicts());
    } finally {
      Await.result(engine.close());
    }
  }

  private SimulatedEngine engineOn(String hostPort) {
    return new SimulatedEngine(vertx, VigiaConfig.defaultsOnly()
        .with("VIGIA_SIM_WHATSAPP", hostPort).sim(), Clock.systemUTC());
  }

  /** A session opened by {@link #open} and the context it is used on. */
  record Opened(EngineSession session, Context context) {}

  /** Opens org 2 with the linked device's credentials, on a context of its own. */
  private Opened open(SimulatedEngine engine, Recorder listener) throws Exception {
    InMemoryAuthStateStore store = new InMemoryAuthStateStore(Clock.systemUTC());
    JsonObject creds = new JsonObject().put("registered", true)
        .put("me", new JsonObject().put("id", jid).put("name", "Vigía 2"));
    Await.result(store.writeCreds("2", creds));
    RunAuthState run = Await.result(RunAuthState.open(store, "2"));
    Context context = vertx.getOrCreateContext();
    Promise<EngineSession> started = Promise.promise();
    context.runOnContext(v -> {
      EngineSession session = engine.open(run, listener);
      session.start(null).map(session).onComplete(started);
    });
    return new Opened(Await.result(started.future()), context);
  }

  /** What the engine told the gateway: the jids opened and the causes closed with. */
  static final class Recorder implements EngineListener {
    final BlockingQueue<String> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<Cause> closed = new LinkedBlockingQueue<>();

    @Override
    public void onQr(String payload, Instant expiresAt) {
    }

    @Override
    public void onPairingCode(String code, Instant expiresAt) {
    }

    @Override
    public void onOpen(SessionView.Me me) {
      opened.add(me.jid());
    }

    @Override
    public void onClose(Cause cause) {
      closed.add(cause);
    }

    @Override
    public void onActivity(Activity activity) {
    }
  }

  static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + pid + " failed");
    }
  }
}
