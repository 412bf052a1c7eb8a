package dev.vigia.monitor.alert;

import dev.vigia.common.config.VigiaConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who hears about an org's alerts: e-mail addresses, webhook URLs and the language of the texts
 * ({@code es} or {@code en}; anything else reads as {@code es}, the default).
 */
public record AlertRecipients(List<String> emails, List<String> webhookUrls, String language) {

  public static final String SPANISH = "es";
  public static final String ENGLISH = "en";

  public AlertRecipients {
    emails = clean(emails);
    webhookUrls = clean(webhookUrls);
    language = languageOf(language);
  }

  /** Nobody: an org without its own settings. */
  public static AlertRecipients none() {
    return new AlertRecipients(List.of(), List.of(), SPANISH);
  }

  /** Everyone configured for all orgs: {@code VIGIA_ALERT_EMAILS} and {@code VIGIA_WEBHOOK_URL}. */
  public static AlertRecipients global(VigiaConfig config) {
    List<String> hooks = config.webhookUrl() == null ? List.of() : List.of(config.webhookUrl());
    return new AlertRecipients(config.alertEmails(), hooks, SPANISH);
  }

  /** This org's recipients plus {@code global}'s, each once; the org's language wins. */
  public AlertRecipients plus(AlertRecipients global) {
    return new AlertRecipients(union(emails, global.emails, true),
        union(webhookUrls, global.webhookUrls, false), language);
  }

  public boolean isEmpty() {
    return emails.isEmpty() && webhookUrls.isEmpty();
  }

  /** {@code en} (also {@code en-GB}, {@code EN}) is English; everything else is Spanish. */
  public static String languageOf(String raw) {
    if (raw == null) {
      return SPANISH;
    }
    String l = raw.trim().toLowerCase(Locale.ROOT);
    return l.equals(ENGLISH) || l.startsWith(ENGLISH + "-") || l.startsWith(ENGLISH + "_")
        ? ENGLISH : SPANISH;
  }

  private static List<String> clean(List<String> values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          out.add(v.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  // e-mail addresses compare without case, so ops@x and OPS@x get one mail, not two
  private static List<String> union(List<String> a, List<String> b, boolean ignoreCase) {
    Map<String, String> seen = new LinkedHashMap<>();
    for (List<String> list : List.of(a, b)) {
      for (String v : list) {
        seen.putIfAbsent(ignoreCase ? v.toLowerCase(Locale.ROOT) : v, v);
      }
    }
    return List.copyOf(seen.values());
  }
}
