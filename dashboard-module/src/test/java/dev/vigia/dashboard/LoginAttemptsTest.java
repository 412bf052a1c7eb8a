package dev.vigia.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.web.AuthRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Password guessing from one address locks out that address for that user only: the real user,
 * from their own address, still logs in. Failed and refused logins are logged with the user name
 * and the address, never with the password.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginAttemptsTest {

  private static final String GUESS = "guess-Pa55word";

  private DashboardFixture fixture;
  private ApiClient attacker;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger authLog = (Logger) LoggerFactory.getLogger(AuthRoutes.class);

  @BeforeAll
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    fixture = new DashboardFixture(vertx, dataDir, null);
    // 127.0.0.2 is loopback too: another client address without leaving the machine
    attacker = new ApiClient(vertx, fixture.port, "127.0.0.2");
    log.start();
    authLog.addAppender(log);
  }

  @AfterAll
  void close() {
    authLog.detachAppender(log);
    attacker.close();
    fixture.api.close();
  }

  @Test
  void guessesFromOneAddressNeverLockTheRealUserOutAndAreLoggedWithoutThePassword() {
    JsonObject guess = new JsonObject().put("username", "admin").put("password", GUESS);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, attacker.post("/auth/login", Login.NONE, guess).status());
    }
    Reply refused = attacker.post("/auth/login", Login.NONE, guess);
    assertEquals(429, refused.status(), "the guessing address is throttled");

    // the real admin, from 127.0.0.1, is not locked out
    Login real = fixture.api.login("admin", DashboardFixture.ADMIN_PASSWORD);
    assertEquals(200, fixture.api.get("/api/me", real).status());
    // and the right password from the throttled address still waits
    assertEquals(429, attacker.post("/auth/login", Login.NONE, new JsonObject()
        .put("username", "admin").put("password", DashboardFixture.ADMIN_PASSWORD)).status());

    List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(5, lines.stream().filter(l -> l.startsWith("failed login for user 'admin' from"
        + " 127.0.0.2")).count(), String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("login refused for user 'admin' from"
        + " 127.0.0.2")), String.join("\n", lines));
    for (String line : lines) {
      assertFalse(line.contains(GUESS), line);
      assertFalse(line.contains(DashboardFixture.ADMIN_PASSWORD), line);
    }
  }
}
