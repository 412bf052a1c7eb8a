package dev.vigia.gateway.engine.baileys;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.gateway.loopback.LoopbackWhatsApp;
import dev.vigia.gateway.loopback.TestNode;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test-root preload ({@code whatsapp-loopback/preload/test-root.mjs}) is how tests make
 * Baileys trust the loopback's certificate root. These tests catch a Baileys upgrade that would
 * make it silently do nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TestRootPreloadTest {

  private static final Path WORK_DIR = Path.of("target", "baileys-engine").toAbsolutePath();
  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");
  private static final String ROOT = "ab".repeat(32);

  @TempDir
  Path dir;
  private static Vertx vertx;
  private static LoopbackWhatsApp whatsApp;
  private static BaileysEngine engine;

  @BeforeAll
  static void installTheEngine() throws Exception {
    vertx = Vertx.vertx();
    whatsApp = LoopbackWhatsApp.start();
    // plain node, no preload: the engine as production runs it
    engine = new BaileysEngine(vertx, WORK_DIR, NODE, whatsApp.url(), Clock.systemUTC());
    result(engine.ready(), 180);
  }

  @AfterAll
  static void stop() throws Exception {
    result(engine.close(), 30);
    whatsApp.close();
    result(vertx.close(), 30);
  }

  @Test
  void thePreloadPutsTheTestRootIntoTheVeryBaileysTheBridgeImports() throws Exception {
    // the bridge's folder, the bridge's own import: the module instance engine.mjs gets
    Run run = node(WORK_DIR, Map.of("LOOPBACK_ROOT_PUBLIC_KEY", ROOT), "--import", preload(), "--input-type=module",
        "-e", "const b = await import('@whiskeysockets/baileys'); console.log(b.WA_CERT_DETAILS.PUBLIC_KEY.toString('hex'))");

    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains(ROOT), run.output());
  }

  @Test
  void thePreloadRefusesToRunWithoutTheLoopbackRoot() throws Exception {
    Run run = node(WORK_DIR, Map.of(), "--import", preload(), "-e", "console.log('should not run')");

    assertNotEquals(0, run.exit());
    assertTrue(run.output().contains("LOOPBACK_ROOT_PUBLIC_KEY"), run.output());
  }

  @Test
  void aBaileysThatNoLongerExportsTheCertificateDetailsStopsThePreloadLoudly() throws Exception {
    // what an upgrade that moves WA_CERT_DETAILS looks like to the preload
    Path upgraded = dir.resolve("engine");
    Path lib = upgraded.resolve("node_modules/@whiskeysockets/baileys/lib");
    Files.createDirectories(lib);
    Files.writeString(lib.getParent().resolve("package.json"),
        "{\"name\":\"@whiskeysockets/baileys\",\"type\":\"module\",\"main\":\"lib/index.js\"}");
    Files.writeString(lib.resolve("index.js"), "export const CERT_ROOT = Buffer.alloc(32);\n");
    Files.writeString(upgraded.resolve("engine.mjs"), "console.log('bridge running');\n");

    Run run = node(upgraded, Map.of("LOOPBACK_ROOT_PUBLIC_KEY", ROOT), "--import", preload(), "engine.mjs");

    assertNotEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("no longer exports WA_CERT_DETAILS"), run.output());
    assertTrue(!run.output().contains("bridge running"), "the bridge ran anyway");
  }

  /**
   * The pinned Baileys (7.0.0-rc14) does not check the server's certificate at all: its
   * {@code Curve.verify} ignores libsignal's boolean result and only fails on an exception, so
   * every signature "verifies" (also the account signature of a pairing). Against the loopback the
   * handshake passes even without the preload. This test says so, and fails the day a Baileys
   * upgrade starts checking: then the preload is load-bearing, and this test should be turned
   * around (without the preload, no QR: the handshake fails).
   */
  @Test
  void pinnedBaileysAcceptsAnyServerCertificateSoWithoutThePreloadTheHandshakeStillPasses() throws Exception {
    whatsApp.account("5215550000077", "Canary");
    RecordingListener listener = new RecordingListener();

    InMemoryAuthStateStore store = new InMemoryAuthStateStore(Clock.systemUTC());
    result(engine.open(result(RunAuthState.open(store, "canary"), 30), listener).start(null), 30);

    String qr = listener.qrs.poll(30, TimeUnit.SECONDS);
    assertNotNull(qr, "no QR without the test-root preload: this Baileys now verifies the server"
        + " certificate (closes: " + listener.closes + "). Good news: turn this test around");
  }

  private static String preload() {
    return TestNode.preload("test-root.mjs").toUri().toString();
  }

  record Run(int exit, String output) {}

  private static Run node(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(NODE));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().remove("LOOPBACK_ROOT_PUBLIC_KEY");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Run(p.exitValue(), output);
  }
}
