package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Alert webhooks reach a real HTTP receiver on loopback, signed so the receiver can trust them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookAlertTest {

  private static final String SECRET = "s3cr3t-webhook-key";

  private final List<AlertOutcome> outcomes = new CopyOnWriteArrayList<>();

  private AlertDispatcher dispatcher(Vertx vertx, String globalUrl, String secret,
      AlertRecipients orgSettings) {
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_WEBHOOK_URL", globalUrl)
        .with("VIGIA_WEBHOOK_SECRET", secret);
    return new AlertDispatcher(vertx, config, org -> Future.succeededFuture(orgSettings),
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, config.webhookSecret(), AlertFixtures.HOOK_TIMEOUT),
        AlertFixtures.FAST, Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);
  }

  @Test
  void webhooksArriveSignedWithTheExactBodyBytes(Vertx vertx) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 204).await(10, TimeUnit.SECONDS);
    AlertDispatcher alerts = dispatcher(vertx, receiver.url("/global"), SECRET,
        new AlertRecipients(List.of(), List.of(receiver.url("/org/2?token=abc")), "en"));

    List<AlertOutcome> result = alerts.dispatch(AlertMessage.of("2", AlertMessage.CONFLICT,
        Cause.conflict(), "Session 2 closed with 440.", AlertFixtures.T0))
        .await(25, TimeUnit.SECONDS);

    assertEquals(2, receiver.received().size());
    assertEquals(List.of("/global", "/org/2"),
        receiver.received().stream().map(WebhookReceiver.Received::path).sorted().toList());
    for (WebhookReceiver.Received hook : receiver.received()) {
      assertEquals("sha256=" + hmacHex(SECRET, hook.body().getBytes()),
          hook.headers().get("X-Vigia-Signature"));
      assertEquals("conflict", hook.headers().get("X-Vigia-Event"));
      assertTrue(hook.headers().get("Content-Type").startsWith("application/json"));
      JsonObject json = new JsonObject(hook.body());
      assertEquals("2", json.getString("org"));
      assertEquals("conflict", json.getString("kind"));
      assertEquals("warning", json.getString("severity"));
      assertEquals(440, json.getJsonObject("cause").getInteger("code"));
      assertEquals("conflict", json.getJsonObject("cause").getString("reason"));
      assertEquals("Session 2 closed with 440.", json.getString("detail"));
      assertEquals("2026-11-28T08:00:00Z", json.getString("at"));
      assertEquals("[Vigía] Organization 2: session conflict (440)", json.getString("summary"));
    }
    assertEquals(2, result.size());
    for (AlertOutcome o : result) {
      assertEquals(AlertOutcome.DELIVERED, o.status());
      assertEquals(AlertOutcome.WEBHOOK, o.channel());
      // the journal shows where, never the path or query, which may hold a token
      assertTrue(o.recipient().matches("http://127\\.0\\.0\\.1:\\d+/…"), o.recipient());
      assertTrue(!o.message().contains("token") && !o.message().contains(SECRET), o.message());
    }
  }

  @Test
  void aTamperedBodyNoLongerMatchesTheSignature(Vertx vertx) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 200).await(10, TimeUnit.SECONDS);
    AlertDispatcher alerts = dispatcher(vertx, receiver.url("/hook"), SECRET, null);

    alerts.dispatch(AlertMessage.of("4", AlertMessage.BANNED, Cause.banned(403), null,
        AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    WebhookReceiver.Received hook = receiver.received().get(0);
    String tampered = hook.body().toString().replace("\"4\"", "\"5\"");
    assertTrue(!hmacHex(SECRET, tampered.getBytes(StandardCharsets.UTF_8))
        .equals(hook.headers().get("X-Vigia-Signature").substring("sha256=".length())));
    assertTrue(!hmacHex("another-secret", hook.body().getBytes())
        .equals(hook.headers().get("X-Vigia-Signature").substring("sha256=".length())));
  }

  @Test
  void withoutASecretThereIsNoSignatureHeader(Vertx vertx) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 200).await(10, TimeUnit.SECONDS);
    AlertDispatcher alerts = dispatcher(vertx, receiver.url("/hook"), null, null);

    List<AlertOutcome> result = alerts.dispatch(AlertMessage.of("4", AlertMessage.OUTDATED,
        Cause.outdated(405), null, AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertEquals(AlertOutcome.DELIVERED, result.get(0).status());
    WebhookReceiver.Received hook = receiver.received().get(0);
    assertNull(hook.headers().get("X-Vigia-Signature"));
    assertEquals("outdated", hook.headers().get("X-Vigia-Event"));
    // no org settings: the default language, Spanish
    assertEquals("[Vigía] Organización 4: cliente de WhatsApp desactualizado (405)",
        new JsonObject(hook.body()).getString("summary"));
  }

  @Test
  void aWebhookThatNeverAnswersIsAbandonedAfterItsTimeout(Vertx vertx) throws Exception {
    // accepts the connection, reads the request, never answers
    var silent = vertx.createHttpServer().requestHandler(req -> { })
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    VigiaConfig config = VigiaConfig.defaultsOnly()
        .with("VIGIA_WEBHOOK_URL", "http://127.0.0.1:" + silent.actualPort() + "/hook");
    AlertDispatcher alerts = new AlertDispatcher(vertx, config,
        org -> Future.succeededFuture(AlertRecipients.none()),
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, null, Duration.ofMillis(200)),
        new DeliverySettings(2, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofSeconds(15)),
        Clock.fixed(AlertFixtures.T0, ZoneOffset.UTC), outcomes::add);

    List<AlertOutcome> result = alerts.dispatch(AlertMessage.of("4", AlertMessage.CONFLICT,
        Cause.conflict(), null, AlertFixtures.T0)).await(25, TimeUnit.SECONDS);

    assertEquals(1, result.size());
    assertEquals(AlertOutcome.FAILED, result.get(0).status());
    assertEquals(2, result.get(0).attempts());
    assertTrue(result.get(0).error().toLowerCase(java.util.Locale.ROOT).contains("timeout"),
        result.get(0).error());
  }

  /** Recomputed here, independently of the code under test. */
  private static String hmacHex(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
