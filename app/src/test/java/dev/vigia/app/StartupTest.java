package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.ConfigException;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up refuses what it cannot do with one line a person can act on, takes nothing while
 * refusing, and never silently ignores a setting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupTest {

  @TempDir Path data;

  VigiaConfig config(String... keyValues) {
    Map<String, String> m = new HashMap<>(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(), "VIGIA_ADMIN_PASSWORD", "admin-password",
        "VIGIA_ENGINE", "simulated"));
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return VigiaConfig.fromMap(m);
  }

  static String failure(Future<Vigia> start) throws Exception {
    try {
      Vigia v = start.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      v.stopAndWait();
      throw new AssertionError("start should have failed");
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
  }

  @Test
  void postgresThatCannotBeReachedIsOneLineAndTheDataDirIsReleased() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    String message = failure(Vigia.start(config("VIGIA_STORE", "postgres", "VIGIA_PG_URL",
        "postgresql://vigia:s3cret-pw@127.0.0.1:" + closed + "/vigia"), Clock.systemUTC()));
    assertTrue(message.contains("VIGIA_PG_URL") && message.contains("127.0.0.1:" + closed),
        message);
    assertEquals(1, message.lines().count(), message);
    assertFalse(message.contains("s3cret-pw"), "never the password: " + message);
    Vigia again = ApiClient.await(Vigia.start(config(), Clock.systemUTC()));
    again.stopAndWait();
  }

  @Test
  void aPortInUseIsNamedAndTheDataDirIsReleased() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      String port = String.valueOf(taken.getLocalPort());
      String message = failure(Vigia.start(config("VIGIA_HTTP_PORT", port), Clock.systemUTC()));
      assertTrue(message.contains("127.0.0.1:" + port) && message.contains("VIGIA_HTTP_PORT"),
          message);
    }
    Vigia again = ApiClient.await(Vigia.start(config(), Clock.systemUTC()));
    again.stopAndWait();
  }

  @Test
  void aDataDirItCreatesIsItsOwnersOnly() throws Exception {
    Path fresh = data.resolve("new-data");
    Vigia vigia = ApiClient.await(Vigia.start(config("VIGIA_DATA_DIR", fresh.toString()),
        Clock.systemUTC()));
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)),
          "WhatsApp credentials and password hashes live here");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          fresh.resolve("accounts").resolve("accounts.json"))));
    } finally {
      vigia.stopAndWait();
    }
  }

  @Test
  void badValuesNameTheVariable() {
    for (String[] bad : new String[][] {{"VIGIA_HTTP_PORT", "80000"}, {"VIGIA_ENGINE", "wa"},
        {"VIGIA_STALE_DAYS", "-1"}, {"VIGIA_ALERT_EMAILS", "not-an-address"},
        {"VIGIA_WEBHOOK_URL", "ftp://x"},
        {"VIGIA_BAILEYS_WS_URL", "https://web.whatsapp.com/ws/chat"}, {"VIGIA_PASSWORD_ITERATIONS", "1000"},
        {"VIGIA_PG_URL", "mysql://u:p@h/d"}, {"VIGIA_PG_POOL_SIZE", "0"}}) {
      ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> config(bad));
      assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), "one line");
    }
  }
}
