package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.dashboard.account.FileTokenStore;
import dev.vigia.dashboard.account.FirstAdmin;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * First start without VIGIA_ADMIN_PASSWORD (the password goes to an owner-only file, never to the
 * log), and a process with the real (baileys) engine.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstStartTest {

  @TempDir
  Path dataDir;

  @Test
  void aRandomAdminPasswordGoesToAnOwnerOnlyFileNeverToTheLogAndWorks(Vertx vertx)
      throws Exception {
    VigiaConfig config = VigiaConfig.fromMap(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", dataDir.toString(), "VIGIA_ENGINE", "baileys"));

    String first = captureStdout(() -> deploy(vertx, config));
    Path file = dataDir.resolve(FirstAdmin.PASSWORD_FILE);
    String password = Files.readString(file).strip();
    assertTrue(password.length() >= 20, "a strong random password");
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file),
        "readable by its owner only");
    assertFalse(first.contains(password), "the password is never in the output: " + first);
    List<String> naming = first.lines().filter(l -> l.contains(file.toAbsolutePath().toString()))
        .toList();
    assertEquals(1, naming.size(), "one line names the file: " + first);
    assertTrue(naming.get(0).contains("created admin user 'admin'"), naming.get(0));
    await(vertx.undeploy(deployed));

    String second = captureStdout(() -> deploy(vertx, config));
    assertFalse(second.contains("created admin"), second);
    assertFalse(second.contains(FirstAdmin.PASSWORD_FILE), second);
    assertEquals(password, Files.readString(file).strip(), "a later start leaves the file alone");

    ApiClient api = new ApiClient(vertx, verticle.actualPort());
    try {
      Login admin = api.login("admin", password);
      assertEquals("admin", api.get("/api/me", admin).json().getString("role"));

      Reply sim = api.post("/api/sim/sessions/2/scan", admin, null);
      assertEquals(404, sim.status(), "no sim control with the baileys engine");
      assertEquals("not_found", sim.json().getString("code"));
      Reply fault = api.post("/api/sim/sessions/2/fault", admin, new JsonObject().put("kind", "conflict"));
      assertEquals(404, fault.status());

      Reply ready = api.get("/health/ready", Login.NONE);
      assertEquals(503, ready.status(), "no gateway on the bus");
      assertEquals("not_ready", ready.json().getString("code"));
      assertEquals("DOWN", ready.json().getJsonObject("checks").getJsonObject("gateway")
          .getString("status"));
      assertEquals(200, api.get("/health", Login.NONE).status());
      Reply sessions = api.get("/api/sessions", admin);
      assertEquals(503, sessions.status(), "the gateway does not answer");
      assertEquals("unavailable", sessions.json().getString("code"));
    } finally {
      api.close();
    }
  }

  private DashboardVerticle verticle;
  private String deployed;

  private void deploy(Vertx vertx, VigiaConfig config) {
    verticle = new DashboardVerticle(config, DashboardStores.files(
        new FileAccountStore(vertx, dataDir), new FileTokenStore(vertx, dataDir),
        Clock.systemUTC()), Clock.systemUTC());
    deployed = await(vertx.deployVerticle(verticle));
  }

  /** Runs {@code action} with System.out captured; surefire runs test classes one at a time. */
  private static String captureStdout(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
