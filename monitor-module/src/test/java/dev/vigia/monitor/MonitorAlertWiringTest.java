package dev.vigia.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.account.OrgSettings;
import dev.vigia.common.account.OrgSettingsQuery;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.session.StateChange;
import dev.vigia.monitor.journal.FileJournal;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.time.VirtualScheduler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's alerts go through the dispatcher to the org's own recipients (asked of the
 * dashboard over {@link OrgSettingsQuery}) in the org's language, plus the global ones; an org
 * the dashboard does not know still reaches the global recipients.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MonitorAlertWiringTest {

  @TempDir Path dataDir;
  Vertx vertx;
  GreenMail smtp;
  ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  long seq;

  @BeforeEach
  void setUp() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(OrgSettingsQuery.ADDRESS, m -> {
      OrgSettingsQuery q = Json.fromJson(m.body(), OrgSettingsQuery.class);
      if (q.org().equals("acme")) {
        m.reply(Json.toJson(new OrgSettings("acme", "Acme", List.of("boss@acme.test"), null, "en")));
      } else {
        m.fail(404, "unknown organization");
      }
    });
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_DATA_DIR", dataDir.toString())
        .with("VIGIA_SMTP_HOST", "127.0.0.1")
        .with("VIGIA_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
        .with("VIGIA_ALERT_EMAILS", "ops@vigia.test");
    MonitorServicesTest.await(vertx.deployVerticle(new MonitorVerticle(config,
        new FileJournal(vertx, dataDir), clock, new SplittableRandom(1), MonitorSettings.defaults(),
        new VirtualScheduler(clock), null)));
  }

  @AfterEach
  void tearDown() {
    MonitorServicesTest.await(vertx.close());
    smtp.stop();
  }

  @Test
  void anOrgsAlertReachesItsOwnAddressesInItsLanguageAndTheOperators() throws Exception {
    conflict("acme");
    assertTrue(smtp.waitForIncomingEmail(10_000, 2));
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertEquals(List.of("boss@acme.test", "ops@vigia.test"), Arrays.stream(mails)
        .map(MonitorAlertWiringTest::to).sorted().toList());
    for (MimeMessage mail : mails) {
      assertEquals("[Vigía] Organization acme: session conflict (440)", mail.getSubject());
    }

    // within the cooldown the same alert is not sent again
    clock.advance(Duration.ofMinutes(5));
    conflict("acme");
    Thread.sleep(300);
    assertEquals(2, smtp.getReceivedMessages().length);
  }

  @Test
  void anOrgWithoutSettingsStillReachesTheOperatorsInSpanish() throws Exception {
    conflict("7");
    assertTrue(smtp.waitForIncomingEmail(10_000, 1));
    Thread.sleep(200);
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertEquals(1, mails.length);
    assertEquals("ops@vigia.test", to(mails[0]));
    assertEquals("[Vigía] Organización 7: conflicto de sesión (440)", mails[0].getSubject());
  }

  private void conflict(String org) {
    vertx.eventBus().publish(StateChange.ADDRESS, Json.toJson(new StateChange(org,
        SessionState.CONNECTED, SessionState.CONFLICT, Cause.conflict(), null, null, null, null,
        clock.instant(), ++seq)));
  }

  private static String to(MimeMessage mail) {
    try {
      return mail.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
