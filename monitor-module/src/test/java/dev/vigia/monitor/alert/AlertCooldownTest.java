package dev.vigia.monitor.alert;

import dev.vigia.common.time.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A flapping session sends one mail per cooldown, not fifty; a recovery is told once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertCooldownTest {

  private GreenMail smtp;
  private WebhookReceiver hooks;
  private AlertDispatcher alerts;
  private final ManualClock clock = new ManualClock(AlertFixtures.T0);
  private final List<AlertOutcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    smtp = AlertFixtures.startSmtp();
    hooks = WebhookReceiver.start(vertx, 204).await(10, TimeUnit.SECONDS);
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_SMTP_HOST", "127.0.0.1")
        .with("VIGIA_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
        .with("VIGIA_SMTP_TLS", "none")
        .with("VIGIA_ALERT_EMAILS", "ops@vigia.test")
        .with("VIGIA_WEBHOOK_URL", hooks.url("/hook"))
        .with("VIGIA_WEBHOOK_SECRET", "k");
    assertEquals(900, config.alertCooldownSeconds());
    alerts = new AlertDispatcher(vertx, config, org -> Future.succeededFuture(null),
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, config.webhookSecret(), AlertFixtures.HOOK_TIMEOUT),
        AlertFixtures.FAST, clock, outcomes::add);
  }

  @AfterEach
  void stop() throws Exception {
    alerts.close().await(10, TimeUnit.SECONDS);
    smtp.stop();
  }

  private Future<List<AlertOutcome>> alert(String org, String kind) {
    return alerts.dispatch(AlertMessage.of(org, kind, Cause.conflict(), null, clock.instant()));
  }

  private static List<AlertOutcome> awaitAll(List<Future<List<AlertOutcome>>> sent)
      throws Exception {
    List<AlertOutcome> all = new ArrayList<>();
    for (Future<List<AlertOutcome>> f : sent) {
      all.addAll(f.await(25, TimeUnit.SECONDS));
    }
    return all;
  }

  private List<String> mailSubjects() {
    return Arrays.stream(smtp.getReceivedMessages()).map(m -> {
      try {
        return m.getSubject();
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).sorted().toList();
  }

  private List<String> webhookEvents() {
    return hooks.received().stream().map(h -> h.headers().get("X-Vigia-Event")).sorted().toList();
  }

  @Test
  void tenConflictsWithinTheCooldownSendOneMailAndOneWebhook() throws Exception {
    List<Future<List<AlertOutcome>>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(alert("2", AlertMessage.CONFLICT));
      clock.advance(Duration.ofSeconds(60));
    }
    List<AlertOutcome> all = awaitAll(sent);

    assertEquals(List.of("[Vigía] Organización 2: conflicto de sesión (440)"), mailSubjects());
    assertEquals(List.of("conflict"), webhookEvents());
    assertEquals(2, all.stream().filter(o -> o.status().equals(AlertOutcome.DELIVERED)).count());
    List<AlertOutcome> held = all.stream()
        .filter(o -> o.status().equals(AlertOutcome.SUPPRESSED)).toList();
    assertEquals(9, held.size());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
        held.stream().map(AlertOutcome::suppressed).toList());
    assertTrue(held.get(8).toJournalEntry().message().contains("9 suppressed"));
    assertEquals(all.size(), outcomes.size(), "every outcome reaches the journal");
  }

  @Test
  void anotherOrgOrAnotherKindIsNotHeldBack() throws Exception {
    List<AlertOutcome> all = awaitAll(List.of(
        alert("2", AlertMessage.CONFLICT),
        alert("4", AlertMessage.CONFLICT),
        alert("2", AlertMessage.BREAKER_OPEN)));

    assertEquals(6, all.size());
    assertTrue(all.stream().allMatch(o -> o.status().equals(AlertOutcome.DELIVERED)), all::toString);
    assertEquals(List.of(
        "[Vigía] Organización 2: conflicto de sesión (440)",
        "[Vigía] Organización 2: demasiadas desconexiones (440)",
        "[Vigía] Organización 4: conflicto de sesión (440)"), mailSubjects());
    assertEquals(List.of("breaker_open", "conflict", "conflict"), webhookEvents());
  }

  @Test
  void afterTheCooldownTheSameAlertGoesOutAgain() throws Exception {
    List<Future<List<AlertOutcome>>> sent = new ArrayList<>();
    sent.add(alert("2", AlertMessage.CONFLICT));
    clock.advance(Duration.ofSeconds(899));
    sent.add(alert("2", AlertMessage.CONFLICT));
    clock.advance(Duration.ofSeconds(2));
    sent.add(alert("2", AlertMessage.CONFLICT));
    List<AlertOutcome> all = awaitAll(sent);

    assertEquals(List.of("delivered", "delivered", "suppressed", "delivered", "delivered"),
        all.stream().map(AlertOutcome::status).toList());
    assertEquals(2, mailSubjects().size());
    assertEquals(List.of("conflict", "conflict"), webhookEvents());
  }

  @Test
  void aRecoveredSessionSendsOneRecoveryMessageAndResetsTheCooldown() throws Exception {
    awaitAll(List.of(alert("2", AlertMessage.CONFLICT), alert("2", AlertMessage.BREAKER_OPEN)));
    clock.advance(Duration.ofSeconds(30));

    List<AlertOutcome> recovery = alerts.recovered("2").await(25, TimeUnit.SECONDS);
    List<AlertOutcome> again = alerts.recovered("2").await(25, TimeUnit.SECONDS);
    List<AlertOutcome> neverAlerted = alerts.recovered("9").await(25, TimeUnit.SECONDS);
    // the cooldown starts over: a new conflict right after the recovery is news
    List<AlertOutcome> newConflict = alert("2", AlertMessage.CONFLICT).await(25, TimeUnit.SECONDS);

    assertEquals(2, recovery.size());
    assertTrue(recovery.stream().allMatch(o -> o.kind().equals(AlertMessage.RECOVERED)
        && o.status().equals(AlertOutcome.DELIVERED)), recovery::toString);
    assertEquals(List.of(), again);
    assertEquals(List.of(), neverAlerted);
    assertEquals(List.of("delivered", "delivered"),
        newConflict.stream().map(AlertOutcome::status).toList());
    assertEquals(List.of("breaker_open", "conflict", "conflict", "recovered"), webhookEvents());
    List<String> subjects = mailSubjects();
    assertEquals(4, subjects.size());
    assertTrue(subjects.contains("[Vigía] Organización 2: sesión recuperada"), subjects::toString);
    String body = hooks.received().stream()
        .filter(h -> "recovered".equals(h.headers().get("X-Vigia-Event")))
        .findFirst().orElseThrow().body().toString();
    assertTrue(body.contains("Resolved alerts: breaker_open, conflict."), body);
    assertTrue(body.contains("\"severity\":\"info\""), body);
  }
}
