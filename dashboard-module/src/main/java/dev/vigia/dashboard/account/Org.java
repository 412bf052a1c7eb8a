package dev.vigia.dashboard.account;

import java.util.List;

/** An organization: one WhatsApp session, whom to alert about it. {@code webhookUrl} may be null. */
public record Org(String id, String name, List<String> alertEmails, String webhookUrl) {

  public Org {
    alertEmails = alertEmails == null ? List.of() : List.copyOf(alertEmails);
  }
}
