package dev.vigia.dashboard.account;

import java.util.List;
import java.util.Set;

/**
 * An organization: one WhatsApp session, whom to alert about it and in which language
 * ({@code es} or {@code en}). {@code webhookUrl} may be null; an accounts file written before
 * {@code language} existed reads as {@code es}.
 */
public record Org(String id, String name, List<String> alertEmails, String webhookUrl,
    String language) {

  public static final String SPANISH = "es";
  public static final Set<String> LANGUAGES = Set.of("es", "en");

  public Org {
    alertEmails = alertEmails == null ? List.of() : List.copyOf(alertEmails);
    language = language == null ? SPANISH : language;
  }

  public Org(String id, String name, List<String> alertEmails, String webhookUrl) {
    this(id, name, alertEmails, webhookUrl, SPANISH);
  }
}
