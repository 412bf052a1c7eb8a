package dev.vigia.gateway.engine.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigia.common.Cause;
import dev.vigia.gateway.store.Await;
import dev.vigia.gateway.store.file.ChildJvm;
import io.vertx.core.Vertx;
import java.time.Duration;
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
    try (ChildJvm first = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid);
        ChildJvm second = ChildJvm.start(SharedWhatsAppChild.class, hostPort, jid)) {
      first.awaitLine(WAIT, "OPEN " + jid);
      assertEquals(0, server.conflicts());

      second.awaitLine(WAIT, "OPEN " + jid);
      first.awaitLine(WAIT, "CLOSE 440 " + Cause.CONFLICT);
      assertEquals(1, server.conflicts());
      assertFalse(second.printed("CLOSE"), "the newer client keeps the session");
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

  static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + pid + " failed");
    }
  }
}
