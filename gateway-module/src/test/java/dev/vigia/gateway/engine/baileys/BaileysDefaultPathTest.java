package dev.vigia.gateway.engine.baileys;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.gateway.session.StateAfterClose;
import dev.vigia.gateway.loopback.TestNode;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, step 1: with no {@code VIGIA_BAILEYS_WS_URL}, Baileys dials its own default URL. Node
 * runs with a test preload that fails every lookup but 127.0.0.1's, as on a machine without
 * network, so the test never reaches WhatsApp and gives the same answer everywhere.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BaileysDefaultPathTest {

  private static final Path WORK_DIR = Path.of("target", "baileys-engine").toAbsolutePath();
  private static final long WAIT_SECONDS = 30;

  @TempDir
  Path dataDir;
  private BaileysEngine engine;

  @AfterEach
  void tearDown() throws Exception {
    if (engine != null) {
      result(engine.close(), WAIT_SECONDS);
    }
  }

  @Test
  void withoutAnOverrideBaileysDialsWhatsAppAndAFailedLookupIsTheNetworkNotTheEngine(Vertx vertx)
      throws Exception {
    String node = TestNode.command(dataDir.resolve("bin"), Map.of(), TestNode.preload("offline.mjs"));
    engine = new BaileysEngine(vertx, WORK_DIR, node, null, Clock.systemUTC());
    result(engine.ready(), 180);
    RecordingListener listener = new RecordingListener();

    // before the fix the start itself failed ("reading 'protocol'") and the gateway said
    // engine_unavailable on every attempt
    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    result(engine.open(result(RunAuthState.open(store, "default"), WAIT_SECONDS), listener)
        .start(null), WAIT_SECONDS);

    Cause cause = listener.nextClose(WAIT_SECONDS);
    assertEquals(Cause.NETWORK_DOWN, cause.reason(), cause.toString());
    assertTrue(cause.message().contains("web.whatsapp.com"), "dialed elsewhere: " + cause);
    assertEquals(SessionState.RECONNECTING, StateAfterClose.of(cause));
  }
}
