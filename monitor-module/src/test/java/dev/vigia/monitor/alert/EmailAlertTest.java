package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Alert e-mails reach a real SMTP server on loopback, per org, with the org's language. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmailAlertTest {

  private GreenMail smtp;
  private final List<AlertOutcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startSmtp() {
    smtp = AlertFixtures.startSmtp();
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
  }

  private AlertDispatcher dispatcher(Vertx vertx, Map<String, AlertRecipients> perOrg) {
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_SMTP_HOST", "127.0.0.1")
        .with("VIGIA_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
        .with("VIGIA_SMTP_FROM", "alertas@vigia.test")
        .with("VIGIA_ALERT_EMAILS", "ops@vigia.test");
    return new AlertDispatcher(vertx, config,
        org -> Future.succeededFuture(perOrg.getOrDefault(org, AlertRecipients.none())),
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, null, AlertFixtures.HOOK_TIMEOUT),
        AlertFixtures.FAST, Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);
  }

  @Test
  void conflictMailReachesTheOrgAndTheOperatorsInSpanish(Vertx vertx) throws Exception {
    AlertDispatcher alerts = dispatcher(vertx, Map.of("2",
        new AlertRecipients(List.of("ana@org2.test", "OPS@vigia.test"), List.of(), "es")));

    List<AlertOutcome> result = alerts.dispatch(AlertMessage.of("2", AlertMessage.CONFLICT,
        Cause.conflict(), "Session 2 closed with 440.", AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertTrue(smtp.waitForIncomingEmail(5_000, 2));
    Map<String, MimeMessage> byRecipient = byRecipient(smtp.getReceivedMessages());
    // OPS@ (the org's) and ops@ (global) are one address: one mail, not two
    assertEquals(List.of("ana@org2.test", "ops@vigia.test"), new ArrayList<>(byRecipient.keySet()));
    for (MimeMessage mail : byRecipient.values()) {
      assertEquals("[Vigía] Organización 2: conflicto de sesión (440)", mail.getSubject());
      assertEquals("alertas@vigia.test", mail.getFrom()[0].toString());
      String body = mail.getContent().toString();
      assertTrue(body.contains("Organización: 2"), body);
      assertTrue(body.contains("Causa: 440 conflict"), body);
      assertTrue(body.contains("otro cliente usa las mismas credenciales"), body);
      assertTrue(body.contains("«Tomar el control»"), body);
    }
    assertEquals(2, result.size());
    for (AlertOutcome o : result) {
      assertEquals(AlertOutcome.DELIVERED, o.status());
      assertEquals(AlertOutcome.EMAIL, o.channel());
      assertEquals(1, o.attempts());
    }
    assertEquals(new java.util.HashSet<>(result), new java.util.HashSet<>(outcomes));
  }

  @Test
  void anEnglishSpeakingOrgGetsEnglishMail(Vertx vertx) throws Exception {
    AlertDispatcher alerts = dispatcher(vertx, Map.of("acme",
        new AlertRecipients(List.of("it@acme.test"), List.of(), "en")));

    alerts.dispatch(AlertMessage.of("acme", AlertMessage.LOGGED_OUT, Cause.loggedOut(), null,
        AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertTrue(smtp.waitForIncomingEmail(5_000, 2));
    Map<String, MimeMessage> byRecipient = byRecipient(smtp.getReceivedMessages());
    assertEquals(List.of("it@acme.test", "ops@vigia.test"), new ArrayList<>(byRecipient.keySet()));
    MimeMessage mail = byRecipient.get("it@acme.test");
    assertEquals("[Vigía] Organization acme: logged out from the phone (401)", mail.getSubject());
    String body = mail.getContent().toString();
    assertTrue(body.contains("Cause: 401 logged_out"), body);
    assertTrue(body.contains("What to do: In the Vigía dashboard press 'Connect'"), body);
  }

  @Test
  void anOrgWithoutSettingsStillAlertsTheOperatorsInSpanish(Vertx vertx) throws Exception {
    AlertDispatcher alerts = dispatcher(vertx, Map.of());

    alerts.dispatch(AlertMessage.of("4", AlertMessage.BANNED, Cause.banned(403), null,
        AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertTrue(smtp.waitForIncomingEmail(5_000, 1));
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertEquals("ops@vigia.test", mail.getRecipients(Message.RecipientType.TO)[0].toString());
    assertEquals("[Vigía] Organización 4: cuenta restringida por WhatsApp (403)", mail.getSubject());
    assertTrue(mail.getContent().toString().contains("gravedad crítica"));
  }

  @Test
  void mailGoesThroughAnSmtpServerThatWantsALogin(Vertx vertx) throws Exception {
    smtp.setUser("alertas@vigia.test", "vigia", "smtp-pass-123");
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_SMTP_HOST", "127.0.0.1")
        .with("VIGIA_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
        .with("VIGIA_SMTP_USERNAME", "vigia")
        .with("VIGIA_SMTP_PASSWORD", "smtp-pass-123")
        .with("VIGIA_ALERT_EMAILS", "ops@vigia.test");
    AlertDispatcher alerts = new AlertDispatcher(vertx, config,
        org -> Future.succeededFuture(AlertRecipients.none()),
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, null, AlertFixtures.HOOK_TIMEOUT),
        AlertFixtures.FAST, Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);

    List<AlertOutcome> result = alerts.dispatch(AlertMessage.of("2", AlertMessage.BAD_SESSION,
        Cause.badSession(), null, AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertEquals(AlertOutcome.DELIVERED, result.get(0).status(), result.toString());
    assertTrue(smtp.waitForIncomingEmail(5_000, 1));
    assertEquals("[Vigía] Organización 2: sesión dañada (500)",
        smtp.getReceivedMessages()[0].getSubject());
  }

  private static Map<String, MimeMessage> byRecipient(MimeMessage[] mails) throws Exception {
    Map<String, MimeMessage> out = new TreeMap<>();
    for (MimeMessage mail : mails) {
      for (var to : Arrays.asList(mail.getRecipients(Message.RecipientType.TO))) {
        assertTrue(out.put(to.toString().toLowerCase(java.util.Locale.ROOT), mail) == null,
            "one mail per recipient");
      }
    }
    return out;
  }
}
