package dev.vigia.monitor.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigia.common.Cause;
import dev.vigia.common.OrgId;
import dev.vigia.common.alert.Alert;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One alert about one org's session: what kind of trouble, how bad, the cause WhatsApp gave (or
 * null), a sentence of detail, and when. The same shape is the webhook body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertMessage(
    String org,
    String kind,
    String severity,
    Cause cause,
    String detail,
    Instant at) {

  /** 440: another client holds these credentials. */
  public static final String CONFLICT = "conflict";
  /** 401: the device was unlinked; credentials archived. */
  public static final String LOGGED_OUT = "logged_out";
  /** 402 / 403 / 406: the account is restricted. */
  public static final String BANNED = "banned";
  /** 405 / 411: the engine is too old for WhatsApp. */
  public static final String OUTDATED = "outdated";
  /** Too many transient failures in a window: reconnecting stopped. */
  public static final String BREAKER_OPEN = "breaker_open";
  /** 500 several times in a row: the stored session looks corrupt. */
  public static final String BAD_SESSION = "bad_session";
  /** Decrypt failures across many contacts: health degraded. */
  public static final String DECRYPT_DEGRADED = "decrypt_degraded";
  /** A session that had an alert is connected again. */
  public static final String RECOVERED = "recovered";

  public static final Set<String> KINDS = Set.of(CONFLICT, LOGGED_OUT, BANNED, OUTDATED,
      BREAKER_OPEN, BAD_SESSION, DECRYPT_DEGRADED, RECOVERED);

  // the severities are the bus alert's own words
  public static final String INFO = Alert.INFO;
  public static final String WARNING = Alert.WARNING;
  public static final String CRITICAL = Alert.CRITICAL;

  public static final Set<String> SEVERITIES = Set.of(INFO, WARNING, CRITICAL);

  // the kind travels in an HTTP header (X-Vigia-Event) and a map key: keep it a plain word
  private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9_]{0,39}$");

  public AlertMessage {
    OrgId.require(org);
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("alert kind must be a lower-case word, got " + kind);
    }
    if (!SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("alert severity must be one of " + SEVERITIES);
    }
    Objects.requireNonNull(at, "at");
  }

  /** An alert with the usual severity for its kind ({@link #severityOf(String)}). */
  public static AlertMessage of(String org, String kind, Cause cause, String detail, Instant at) {
    return new AlertMessage(org, kind, severityOf(kind), cause, detail, at);
  }

  /** Banned is critical (DESIGN §3: nothing automatic helps), recovered is info, the rest warn. */
  public static String severityOf(String kind) {
    if (BANNED.equals(kind)) {
      return CRITICAL;
    }
    return RECOVERED.equals(kind) ? INFO : WARNING;
  }
}
