package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** An unreachable SMTP server or webhook never blocks, crashes or loses an alert silently. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertDeliveryFailureTest {

  private final List<AlertOutcome> outcomes = new CopyOnWriteArrayList<>();

  private AlertDispatcher dispatcher(Vertx vertx, VigiaConfig config,
      Function<String, Future<AlertRecipients>> orgRecipients) {
    return new AlertDispatcher(vertx, config, orgRecipients,
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, config.webhookSecret(), AlertFixtures.HOOK_TIMEOUT),
        AlertFixtures.FAST, Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);
  }

  private static AlertMessage conflict() {
    return AlertMessage.of("2", AlertMessage.CONFLICT, Cause.conflict(), null, AlertFixtures.T0);
  }

  @Test
  void withSmtpAndWebhooksDownDispatchReturnsAtOnceAndRetriesStopAtTheBound(Vertx vertx)
      throws Exception {
    WebhookReceiver failing = WebhookReceiver.start(vertx, 500).await(10, TimeUnit.SECONDS);
    String closedHook = "http://127.0.0.1:" + AlertFixtures.closedPort() + "/hook";
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_SMTP_HOST", "127.0.0.1")
        .with("VIGIA_SMTP_PORT", String.valueOf(AlertFixtures.closedPort()))
        .with("VIGIA_SMTP_PASSWORD", "smtp-pass-never-shown")
        .with("VIGIA_SMTP_USERNAME", "vigia")
        .with("VIGIA_ALERT_EMAILS", "ops@vigia.test")
        .with("VIGIA_WEBHOOK_URL", failing.url("/hook"))
        .with("VIGIA_WEBHOOK_SECRET", "hook-secret-never-shown");
    AlertDispatcher alerts = dispatcher(vertx, config, org -> Future.succeededFuture(
        new AlertRecipients(List.of(), List.of(closedHook), "es")));

    Future<List<AlertOutcome>> delivery = alerts.dispatch(conflict());

    // dispatch handed the work over: 4 attempts with backoff cannot be over yet
    assertFalse(delivery.isComplete());
    List<AlertOutcome> result = delivery.await(25, TimeUnit.SECONDS);

    assertEquals(3, result.size());
    assertEquals(List.of("email ops@vigia.test", "webhook http://127.0.0.1/…",
            "webhook http://127.0.0.1/…"),
        result.stream().map(o -> o.channel() + " " + o.recipient().replaceAll(":\\d+", ""))
            .sorted().toList());
    for (AlertOutcome o : result) {
      assertEquals(AlertOutcome.FAILED, o.status(), o.toString());
      assertEquals(4, o.attempts(), o.toString());
      assertTrue(o.error() != null && !o.error().isBlank(), o.toString());
      assertFalse(o.message().contains("never-shown"), o.message());
    }
    assertTrue(result.stream().anyMatch(o -> "HTTP 500".equals(o.error())), result::toString);
    assertEquals(4, failing.received().size(), "the answering webhook saw exactly 4 attempts");
    assertEquals(new HashSet<>(result), new HashSet<>(outcomes));

    // and nothing more comes later: the retries stopped
    vertx.timer(300).await(5, TimeUnit.SECONDS);
    assertEquals(4, failing.received().size());
    assertEquals(3, outcomes.size());
  }

  @Test
  void aBrokenSettingsLookupIsReportedAndTheOperatorsStillHear(Vertx vertx) throws Exception {
    WebhookReceiver hooks = WebhookReceiver.start(vertx, 200).await(10, TimeUnit.SECONDS);
    VigiaConfig config = VigiaConfig.defaultsOnly().with("VIGIA_WEBHOOK_URL", hooks.url("/hook"));
    AlertDispatcher throwing = dispatcher(vertx, config, org -> {
      throw new IllegalStateException("dashboard not deployed");
    });
    AlertDispatcher failing = dispatcher(vertx, config,
        org -> Future.failedFuture("No handlers for address vigia.dashboard.org"));

    List<AlertOutcome> first = throwing.dispatch(conflict()).await(25, TimeUnit.SECONDS);
    List<AlertOutcome> second = failing.dispatch(conflict()).await(25, TimeUnit.SECONDS);

    for (List<AlertOutcome> result : List.of(first, second)) {
      assertEquals(List.of("settings failed", "webhook delivered"),
          result.stream().map(o -> o.channel() + " " + o.status()).toList());
    }
    assertTrue(first.get(0).message().contains("dashboard not deployed"), first.get(0).message());
    assertEquals(2, hooks.received().size());
  }

  @Test
  void anAlertWithNowhereToGoIsReportedNotDropped(Vertx vertx) throws Exception {
    AlertDispatcher nobody = dispatcher(vertx, VigiaConfig.defaultsOnly(),
        org -> Future.succeededFuture(AlertRecipients.none()));
    AlertDispatcher mailOff = dispatcher(vertx, VigiaConfig.defaultsOnly(),
        org -> Future.succeededFuture(new AlertRecipients(List.of("ana@org2.test"), List.of(), "es")));
    AlertDispatcher badAddresses = dispatcher(vertx,
        VigiaConfig.defaultsOnly().with("VIGIA_SMTP_HOST", "127.0.0.1"),
        org -> Future.succeededFuture(new AlertRecipients(
            List.of("ana@org2.test>\r\nRCPT TO:<x@y"), List.of("ftp://files.test/x"), "es")));

    AlertOutcome none = nobody.dispatch(conflict()).await(25, TimeUnit.SECONDS).get(0);
    AlertOutcome off = mailOff.dispatch(conflict()).await(25, TimeUnit.SECONDS).get(0);
    List<AlertOutcome> bad = badAddresses.dispatch(conflict()).await(25, TimeUnit.SECONDS);

    assertEquals(AlertOutcome.SKIPPED, none.status());
    assertTrue(none.message().contains("no e-mail address or webhook URL"), none.message());
    assertEquals(AlertOutcome.SKIPPED, off.status());
    assertTrue(off.message().contains("VIGIA_SMTP_HOST"), off.message());
    assertEquals(List.of("email failed 0", "webhook failed 0"),
        bad.stream().map(o -> o.channel() + " " + o.status() + " " + o.attempts()).toList());
    assertEquals(4, outcomes.size(), "every alert left a trace for the journal");
  }
}
