package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.FileAccountStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** First start without VIGIA_ADMIN_PASSWORD, and a process with the real (baileys) engine. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstStartTest {

  @TempDir
  Path dataDir;

  @Test
  void aRandomAdminPasswordIsPrintedOnceWorksAndIsNeverPrintedAgain(Vertx vertx) {
    VigiaConfig config = VigiaConfig.fromMap(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", dataDir.toString(), "VIGIA_ENGINE", "baileys"));

    String first = captureStdout(() -> deploy(vertx, config));
    Matcher m = Pattern.compile("created admin user 'admin' with password\\R\\s+(\\S+)").matcher(first);
    assertTrue(m.find(), first);
    String password = m.group(1);
    assertTrue(password.length() >= 20, "a strong random password");
    assertEquals(1, first.split(Pattern.quote(password), -1).length - 1, "printed once");
    await(vertx.undeploy(deployed));

    String second = captureStdout(() -> deploy(vertx, config));
    assertFalse(second.contains(password), second);
    assertFalse(second.contains("created admin"), second);

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
    verticle = new DashboardVerticle(config, new FileAccountStore(vertx, dataDir),
        Clock.systemUTC());
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
