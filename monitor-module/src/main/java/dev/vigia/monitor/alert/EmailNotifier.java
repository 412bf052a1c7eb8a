package dev.vigia.monitor.alert;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

/**
 * Sends one alert mail to one address through the SMTP server of {@code VIGIA_SMTP_*}. With no
 * {@code VIGIA_SMTP_HOST} e-mail is off: {@link #enabled()} is false and nothing connects.
 */
public final class EmailNotifier {

  private static final int SMTPS_PORT = 465;

  private final MailClient client;
  private final String from;

  public EmailNotifier(Vertx vertx, VigiaConfig.Smtp smtp) {
    this.from = smtp.from();
    this.client = smtp.host() == null ? null : MailClient.create(vertx, mailConfig(smtp));
  }

  private static MailConfig mailConfig(VigiaConfig.Smtp smtp) {
    MailConfig config = new MailConfig()
        .setHostname(smtp.host())
        .setPort(smtp.port())
        .setConnectTimeout(10_000)
        // the sender's domain for EHLO: looking up the local host name may block
        .setOwnHostname(domainOf(smtp.from()))
        .setStarttls(switch (smtp.tls()) {
          case "none" -> StartTLSOptions.DISABLED;
          case "required" -> StartTLSOptions.REQUIRED;
          default -> StartTLSOptions.OPTIONAL;
        })
        .setSsl(smtp.port() == SMTPS_PORT && !"none".equals(smtp.tls()));
    if (smtp.username() == null) {
      config.setLogin(LoginOption.DISABLED);
    } else {
      // a password, not an OAuth token: never let the client pick XOAUTH2 with it
      config.setLogin(LoginOption.REQUIRED).setAuthMethods("PLAIN LOGIN")
          .setUsername(smtp.username()).setPassword(smtp.password());
    }
    return config;
  }

  private static String domainOf(String address) {
    int at = address == null ? -1 : address.lastIndexOf('@');
    String domain = at < 0 ? "" : address.substring(at + 1).trim();
    return domain.matches("[A-Za-z0-9.-]{1,253}") ? domain : "localhost";
  }

  /** False when {@code VIGIA_SMTP_HOST} is not set. */
  public boolean enabled() {
    return client != null;
  }

  /** One attempt: succeeds when the SMTP server accepted the mail for {@code to}. */
  public Future<Void> send(String to, AlertTexts.Text text) {
    if (client == null) {
      return Future.failedFuture("e-mail is off: VIGIA_SMTP_HOST is not set");
    }
    MailMessage mail = new MailMessage()
        .setFrom(from)
        .setTo(to)
        .setSubject(text.subject())
        .setText(text.body());
    return client.sendMail(mail).mapEmpty();
  }

  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
