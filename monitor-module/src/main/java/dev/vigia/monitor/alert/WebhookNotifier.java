package dev.vigia.monitor.alert;

import dev.vigia.common.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs one alert as JSON to one URL. With a secret, {@code X-Vigia-Signature: sha256=<hex>} is
 * the HMAC-SHA256 of the exact body bytes, so the receiver can tell the alert came from Vigía.
 */
public final class WebhookNotifier {

  public static final String SIGNATURE_HEADER = "X-Vigia-Signature";
  public static final String EVENT_HEADER = "X-Vigia-Event";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final String HMAC = "HmacSHA256";

  private final WebClient client;
  private final byte[] secret;
  private final long timeoutMillis;

  /** {@code secret} null or blank: no signature header. */
  public WebhookNotifier(Vertx vertx, String secret) {
    this(vertx, secret, DEFAULT_TIMEOUT);
  }

  public WebhookNotifier(Vertx vertx, String secret, Duration timeout) {
    // a redirect would carry the signed alert somewhere nobody configured
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setUserAgent("Vigia-Alerts"));
    this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** The body: the alert's JSON plus {@code summary}, the subject in the recipient's language. */
  public static Buffer body(AlertMessage alert, AlertTexts.Text text) {
    JsonObject json = Json.toJson(alert).put("summary", text.subject());
    return Buffer.buffer(json.encode());
  }

  /** One attempt: succeeds on a 2xx answer. */
  public Future<Void> send(String url, AlertMessage alert, AlertTexts.Text text) {
    if (!isHttpUrl(url)) {
      return Future.failedFuture("not an http(s) URL");
    }
    Buffer body = body(alert, text);
    var request = client.postAbs(url)
        .timeout(timeoutMillis)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader(EVENT_HEADER, alert.kind());
    if (secret != null) {
      request.putHeader(SIGNATURE_HEADER, signature(secret, body));
    }
    return request.sendBuffer(body).compose(response -> {
      int status = response.statusCode();
      return status >= 200 && status < 300
          ? Future.<Void>succeededFuture()
          : Future.<Void>failedFuture("HTTP " + status);
    });
  }

  /** {@code sha256=<lower-case hex HMAC-SHA256 of body with secret>}. */
  public static String signature(byte[] secret, Buffer body) {
    try {
      // HMAC of a body of a few hundred bytes takes microseconds: no need for a worker thread
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret, HMAC));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** True for an absolute http:// or https:// URL with a host. */
  public static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException | NullPointerException e) {
      return false;
    }
  }

  /**
   * The URL as the journal shows it: scheme, host and port only, since paths and queries of
   * webhook URLs often hold tokens (Slack, Teams).
   */
  public static String display(String url) {
    if (!isHttpUrl(url)) {
      return "(invalid URL)";
    }
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + "/…";
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
