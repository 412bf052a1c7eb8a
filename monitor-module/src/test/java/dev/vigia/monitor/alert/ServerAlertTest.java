package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's own alerts (its disk): no org, so only the operators' recipients
 * ({@code VIGIA_WEBHOOK_URL}, {@code VIGIA_ALERT_EMAILS}) get them, once per cooldown, in words
 * about the server rather than an organization.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerAlertTest {

  @Test
  void aDiskAlertGoesToTheGlobalWebhookOnlyOncePerCooldownAndThenItsRecovery(Vertx vertx)
      throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 204).await(10, TimeUnit.SECONDS);
    List<AlertOutcome> outcomes = new CopyOnWriteArrayList<>();
    AtomicInteger orgSettingsAsked = new AtomicInteger();
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_WEBHOOK_URL", receiver.url("/ops"));
    AlertDispatcher alerts = new AlertDispatcher(vertx, config, org -> {
      orgSettingsAsked.incrementAndGet();
      return Future.succeededFuture(null);
    }, new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, null, AlertFixtures.HOOK_TIMEOUT), AlertFixtures.FAST,
        Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);

    AlertMessage full = new AlertMessage(null, AlertMessage.DISK_FULL, AlertMessage.CRITICAL,
        null, "the disk is full: 0 B free of 16.0 MiB (0 %) (/srv/vigia-data)", AlertFixtures.T0);
    List<AlertOutcome> sent = alerts.dispatch(full).await(25, TimeUnit.SECONDS);
    assertEquals(AlertOutcome.DELIVERED, sent.get(0).status());
    assertEquals(AlertOutcome.SUPPRESSED,
        alerts.dispatch(full).await(25, TimeUnit.SECONDS).get(0).status());

    assertEquals(1, receiver.received().size());
    WebhookReceiver.Received hook = receiver.received().get(0);
    assertEquals("disk_full", hook.headers().get("X-Vigia-Event"));
    JsonObject json = new JsonObject(hook.body());
    assertFalse(json.containsKey("org"), "no org: " + json);
    assertEquals("critical", json.getString("severity"));
    // the operators' recipients read Spanish, the default
    assertEquals("[Vigía] Servidor: disco lleno", json.getString("summary"));
    assertEquals(0, orgSettingsAsked.get(), "no org's settings are asked for a server alert");

    List<AlertOutcome> recovered = alerts.recovered(null).await(25, TimeUnit.SECONDS);
    assertEquals(AlertOutcome.DELIVERED, recovered.get(0).status());
    assertEquals(2, receiver.received().size());
    assertEquals("recovered", receiver.received().get(1).headers().get("X-Vigia-Event"));
  }

  @Test
  void theTextsSpeakOfTheServerInSpanishAndEnglish() {
    AlertMessage low = new AlertMessage(null, AlertMessage.DISK_LOW, AlertMessage.WARNING, null,
        "low disk space: 800.0 MiB free", AlertFixtures.T0);
    AlertTexts.Text es = AlertTexts.render(low, "es");
    assertEquals("[Vigía] Servidor: poco espacio en disco", es.subject());
    assertTrue(es.body().contains("todas las organizaciones"), es.body());
    assertTrue(es.body().contains("Libere espacio"), es.body());
    AlertTexts.Text en = AlertTexts.render(low, "en");
    assertEquals("[Vigía] Server: low disk space", en.subject());
    assertTrue(en.body().contains("800.0 MiB free"), en.body());
    AlertTexts.Text back = AlertTexts.render(AlertMessage.of(null, AlertMessage.RECOVERED, null,
        null, AlertFixtures.T0), "en");
    assertEquals("[Vigía] Server: server recovered", back.subject());
  }
}
