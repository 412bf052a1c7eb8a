package dev.vigia.monitor.alert;

import dev.vigia.common.OrgId;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an alert goes out and pushes it to every recipient without blocking: one alert
 * per (org, kind) per cooldown, one recovery message when a session that had an alert is back,
 * bounded retries per recipient, and a final {@link AlertOutcome} for every alert, recipient and
 * suppression, handed to the outcome consumer (the journal). Call it from one context (the
 * monitor verticle's).
 */
public final class AlertDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

  // no spaces, commas, angle brackets or control characters: the address goes into SMTP commands
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>,;\"\\p{Cntrl}]+@[^@\\s<>,;\"\\p{Cntrl}]+$");
  private static final int MAX_ERROR_CHARS = 200;

  private final Vertx vertx;
  private final Function<String, Future<AlertRecipients>> orgRecipients;
  private final AlertRecipients global;
  private final EmailNotifier email;
  private final WebhookNotifier webhook;
  private final DeliverySettings settings;
  private final Clock clock;
  private final Consumer<AlertOutcome> outcomes;
  private final Duration cooldown;
  private final List<String> secrets;
  private final AlertCooldowns cooldowns;

  /**
   * @param orgRecipients an org's own recipients and language (from the dashboard's accounts);
   *     null means none; a failed future is reported and the global recipients still get it
   * @param outcomes receives every final outcome, on the dispatcher's context
   */
  public AlertDispatcher(Vertx vertx, VigiaConfig config,
      Function<String, Future<AlertRecipients>> orgRecipients, EmailNotifier email,
      WebhookNotifier webhook, DeliverySettings settings, Clock clock,
      Consumer<AlertOutcome> outcomes) {
    this(vertx, config, orgRecipients, email, webhook, settings, clock, outcomes,
        new MemoryAlertCooldowns());
  }

  /** As above, with the cooldowns kept in {@code cooldowns} (PostgreSQL: across restarts and nodes). */
  public AlertDispatcher(Vertx vertx, VigiaConfig config,
      Function<String, Future<AlertRecipients>> orgRecipients, EmailNotifier email,
      WebhookNotifier webhook, DeliverySettings settings, Clock clock,
      Consumer<AlertOutcome> outcomes, AlertCooldowns cooldowns) {
    this.vertx = vertx;
    this.cooldowns = cooldowns;
    this.orgRecipients = orgRecipients;
    this.global = AlertRecipients.global(config);
    this.email = email;
    this.webhook = webhook;
    this.settings = settings;
    this.clock = clock;
    this.outcomes = outcomes;
    this.cooldown = Duration.ofSeconds(config.alertCooldownSeconds());
    List<String> s = new ArrayList<>();
    for (String secret : new String[] {config.smtp().password(), config.webhookSecret()}) {
      if (secret != null && !secret.isBlank()) {
        s.add(secret);
      }
    }
    this.secrets = List.copyOf(s);
  }

  /** With notifiers built from {@code config} and the default delivery settings. */
  public static AlertDispatcher fromConfig(Vertx vertx, VigiaConfig config,
      Function<String, Future<AlertRecipients>> orgRecipients, Clock clock,
      Consumer<AlertOutcome> outcomes, AlertCooldowns cooldowns) {
    return new AlertDispatcher(vertx, config, orgRecipients,
        new EmailNotifier(vertx, config.smtp()),
        new WebhookNotifier(vertx, config.webhookSecret()),
        DeliverySettings.DEFAULTS, clock, outcomes, cooldowns);
  }

  /**
   * Sends {@code alert} unless the same (org, kind) went out less than a cooldown ago. Returns at
   * once; the future completes, never failed, with the final outcomes once every retry is over.
   */
  public Future<List<AlertOutcome>> dispatch(AlertMessage alert) {
    if (alert == null) {
      return Future.failedFuture(new IllegalArgumentException("alert is null"));
    }
    if (AlertMessage.RECOVERED.equals(alert.kind())) {
      return recovered(alert.org());
    }
    Instant now = clock.instant();
    return cooldowns.claim(alert.org(), alert.kind(), now, cooldown).transform(claimed -> {
      if (claimed.failed()) {
        // the cooldowns cannot be read: a second mail is better than no alert at all
        OrgMdc.run(alert.org(), () -> LOG.warn("alert {}: the cooldown could not be checked ({});"
            + " sending it", alert.kind(), summary(claimed.cause())));
        return deliver(alert);
      }
      AlertCooldowns.Claim claim = claimed.result();
      if (!claim.send()) {
        // a flapping session: one mail per cooldown, the rest only counted
        AlertOutcome held = report(new AlertOutcome(alert.org(), alert.kind(),
            AlertOutcome.SUPPRESSED, null, null, 0, claim.suppressed(), null, alert.cause(), now));
        return Future.succeededFuture(List.of(held));
      }
      return deliver(alert);
    });
  }

  /**
   * The org's session is connected again: if it had an alert since its last recovery, sends one
   * {@code recovered} message and forgets the org's cooldowns. Otherwise sends nothing (the
   * future holds an empty list).
   */
  public Future<List<AlertOutcome>> recovered(String org) {
    if (!OrgId.isValid(org)) {
      return Future.failedFuture(new IllegalArgumentException("invalid organization id: "
          + OrgId.describeInvalid()));
    }
    return cooldowns.resolve(org).transform(done -> {
      if (done.failed()) {
        OrgMdc.run(org, () -> LOG.warn("the recovery message of org {} is not sent: its alerts"
            + " could not be read ({})", org, summary(done.cause())));
        return Future.succeededFuture(List.of());
      }
      Set<String> resolved = done.result();
      if (resolved.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return deliver(AlertMessage.of(org, AlertMessage.RECOVERED, null,
          "Resolved alerts: " + String.join(", ", resolved) + ".", clock.instant()));
    });
  }

  /** Closes the SMTP and HTTP clients; deliveries under way fail and are reported. */
  public Future<Void> close() {
    return Future.join(email.close(), webhook.close()).mapEmpty();
  }

  private Future<List<AlertOutcome>> deliver(AlertMessage alert) {
    Future<AlertRecipients> own;
    try {
      own = orgRecipients.apply(alert.org());
    } catch (RuntimeException e) {
      own = Future.failedFuture(e);
    }
    if (own == null) {
      own = Future.succeededFuture(AlertRecipients.none());
    }
    return own.timeout(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .transform(settingsRead -> {
          List<AlertOutcome> done = new ArrayList<>();
          AlertRecipients recipients;
          if (settingsRead.succeeded()) {
            AlertRecipients org = settingsRead.result();
            recipients = (org == null ? AlertRecipients.none() : org).plus(global);
          } else {
            // the dashboard did not answer: the operators still hear about it
            recipients = AlertRecipients.none().plus(global);
            done.add(report(outcome(alert, AlertOutcome.FAILED, AlertOutcome.SETTINGS, null, 1,
                summary(settingsRead.cause()))));
          }
          return send(alert, recipients, done);
        });
  }

  private Future<List<AlertOutcome>> send(AlertMessage alert, AlertRecipients recipients,
      List<AlertOutcome> done) {
    if (recipients.isEmpty()) {
      done.add(report(outcome(alert, AlertOutcome.SKIPPED, null, null, 0,
          "no e-mail address or webhook URL is configured for this org or globally")));
      return Future.succeededFuture(done);
    }
    AlertTexts.Text text = AlertTexts.render(alert, recipients.language());
    List<Future<AlertOutcome>> pending = new ArrayList<>();
    for (String to : recipients.emails()) {
      if (!email.enabled()) {
        done.add(report(outcome(alert, AlertOutcome.SKIPPED, AlertOutcome.EMAIL, to, 0,
            "e-mail is off: VIGIA_SMTP_HOST is not set")));
      } else if (!EMAIL.matcher(to).matches()) {
        done.add(report(outcome(alert, AlertOutcome.FAILED, AlertOutcome.EMAIL, "(invalid address)",
            0, "not an e-mail address")));
      } else {
        pending.add(withRetries(alert, AlertOutcome.EMAIL, to, () -> email.send(to, text)));
      }
    }
    for (String url : recipients.webhookUrls()) {
      String shown = WebhookNotifier.display(url);
      if (!WebhookNotifier.isHttpUrl(url)) {
        done.add(report(outcome(alert, AlertOutcome.FAILED, AlertOutcome.WEBHOOK, shown, 0,
            "not an http(s) URL")));
      } else {
        pending.add(withRetries(alert, AlertOutcome.WEBHOOK, shown,
            () -> webhook.send(url, alert, text)));
      }
    }
    // each pending future completes with an outcome and never fails
    return Future.join(pending).transform(all -> {
      for (Future<AlertOutcome> f : pending) {
        done.add(f.result());
      }
      return Future.succeededFuture(done);
    });
  }

  private Future<AlertOutcome> withRetries(AlertMessage alert, String channel, String recipient,
      Supplier<Future<Void>> attempt) {
    Promise<AlertOutcome> finished = Promise.promise();
    tryOnce(alert, channel, recipient, attempt, 1, finished);
    return finished.future();
  }

  private void tryOnce(AlertMessage alert, String channel, String recipient,
      Supplier<Future<Void>> attempt, int n, Promise<AlertOutcome> finished) {
    Future<Void> sent;
    try {
      sent = attempt.get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.timeout(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) {
        finished.complete(report(outcome(alert, AlertOutcome.DELIVERED, channel, recipient, n, null)));
      } else if (n >= settings.maxAttempts()) {
        finished.complete(report(outcome(alert, AlertOutcome.FAILED, channel, recipient, n,
            summary(ar.cause()))));
      } else {
        long delay = settings.delayAfter(n).toMillis();
        OrgMdc.run(alert.org(), () -> LOG.debug(
            "alert {} by {} to {}: attempt {} failed ({}), next in {} ms",
            alert.kind(), channel, recipient, n, summary(ar.cause()), delay));
        vertx.setTimer(delay, id -> tryOnce(alert, channel, recipient, attempt, n + 1, finished));
      }
    });
  }

  private AlertOutcome outcome(AlertMessage alert, String status, String channel,
      String recipient, int attempts, String error) {
    return new AlertOutcome(alert.org(), alert.kind(), status, channel, recipient, attempts, 0,
        error, alert.cause(), clock.instant());
  }

  private AlertOutcome report(AlertOutcome outcome) {
    OrgMdc.run(outcome.org(), () -> {
      if (AlertOutcome.DELIVERED.equals(outcome.status())
          || AlertOutcome.SUPPRESSED.equals(outcome.status())) {
        LOG.info("{}", outcome.message());
      } else {
        LOG.warn("{}", outcome.message());
      }
    });
    try {
      outcomes.accept(outcome);
    } catch (RuntimeException e) {
      // the journal failing must not stop the other deliveries
      OrgMdc.run(outcome.org(),
          () -> LOG.error("alert outcome could not be recorded: {}", summary(e)));
    }
    return outcome;
  }

  /** A short, single-line, secret-free account of a failure. */
  private String summary(Throwable error) {
    String text = error.getMessage() == null || error.getMessage().isBlank()
        ? error.getClass().getSimpleName() : error.getMessage();
    for (String secret : secrets) {
      text = text.replace(secret, "***");
    }
    text = text.replaceAll("[\\r\\n\\t]+", " ").trim();
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }
}
