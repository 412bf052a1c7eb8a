package dev.vigia.monitor.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigia.common.Cause;
import dev.vigia.common.OrgId;
import dev.vigia.common.alert.Alert;
import dev.vigia.monitor.policy.AlertKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One alert about one org's session (or, with {@code org} null, about the server itself: its
 * disk): what kind of trouble, how bad, the cause WhatsApp gave (or null), a sentence of detail,
 * and when. The same shape is the webhook body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertMessage(
    String org,
    String kind,
    String severity,
    Cause cause,
    String detail,
    Instant at) {

  // the words are AlertKind's (one vocabulary for the bus, mails, webhooks and metrics)
  /** 440: another client holds these credentials. */
  public static final String CONFLICT = Alert.CONFLICT;
  /** 401: the device was unlinked; credentials archived. */
  public static final String LOGGED_OUT = Alert.LOGGED_OUT;
  /** 402 / 403 / 406: the account is restricted. */
  public static final String BANNED = Alert.BANNED;
  /** 405 / 411: the engine is too old for WhatsApp. */
  public static final String OUTDATED = Alert.OUTDATED;
  /** Too many transient failures in a window, or a refused reconnect: reconnecting stopped. */
  public static final String BREAKER_OPEN = Alert.BREAKER_OPEN;
  /** 500 several times in a row: the stored session looks corrupt. */
  public static final String BAD_SESSION = Alert.BAD_SESSION;
  /** Decrypt failures across many contacts: health degraded. */
  public static final String DECRYPT_DEGRADED = Alert.DECRYPT_DEGRADED;
  /** A 401's credentials could not be archived: FAILED until a person clears the session. */
  public static final String ARCHIVE_FAILED = Alert.ARCHIVE_FAILED;
  /** The server's data dir's disk is under the warning threshold. */
  public static final String DISK_LOW = Alert.DISK_LOW;
  /** The server's data dir's disk is full. */
  public static final String DISK_FULL = Alert.DISK_FULL;
  /** A session that had an alert is connected again. */
  public static final String RECOVERED = Alert.RECOVERED;

  public static final Set<String> KINDS = Arrays.stream(AlertKind.values()).map(AlertKind::kind)
      .collect(Collectors.toUnmodifiableSet());

  // the severities are the bus alert's own words
  public static final String INFO = Alert.INFO;
  public static final String WARNING = Alert.WARNING;
  public static final String CRITICAL = Alert.CRITICAL;

  public static final Set<String> SEVERITIES = Set.of(INFO, WARNING, CRITICAL);

  // the kind travels in an HTTP header (X-Vigia-Event) and a map key: keep it a plain word
  private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9_]{0,39}$");

  public AlertMessage {
    if (org != null) {
      OrgId.require(org);
    }
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("alert kind must be a lower-case word, got " + kind);
    }
    if (!SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("alert severity must be one of " + SEVERITIES);
    }
    Objects.requireNonNull(at, "at");
  }

  /** Whether this alert is about the server itself rather than one org. */
  public boolean aboutServer() {
    return org == null;
  }

  /** An alert with the usual severity for its kind ({@link #severityOf(String)}). */
  public static AlertMessage of(String org, String kind, Cause cause, String detail, Instant at) {
    return new AlertMessage(org, kind, severityOf(kind), cause, detail, at);
  }

  /** The severity {@link AlertKind} gives {@code kind}; a word not ours is a warning. */
  public static String severityOf(String kind) {
    return AlertKind.of(kind).map(AlertKind::severity).orElse(WARNING);
  }
}
