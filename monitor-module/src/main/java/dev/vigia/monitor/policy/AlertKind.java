package dev.vigia.monitor.policy;

import dev.vigia.common.alert.Alert;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one vocabulary of alerts: the word (on the bus, in the webhook's {@code X-Vigia-Event}, in
 * mails and in {@code vigia_alerts_sent_total{kind}}) and how urgent each is.
 */
public enum AlertKind {
  CONFLICT(Alert.CONFLICT, Alert.WARNING),
  LOGGED_OUT(Alert.LOGGED_OUT, Alert.WARNING),
  BANNED(Alert.BANNED, Alert.CRITICAL),
  OUTDATED(Alert.OUTDATED, Alert.CRITICAL),
  BREAKER_OPEN(Alert.BREAKER_OPEN, Alert.CRITICAL),
  BAD_SESSION(Alert.BAD_SESSION, Alert.CRITICAL),
  DECRYPT_DEGRADED(Alert.DECRYPT_DEGRADED, Alert.WARNING),
  // a 401 whose credentials could not be archived: nothing automatic repairs it
  ARCHIVE_FAILED(Alert.ARCHIVE_FAILED, Alert.CRITICAL),
  // the server's own (no org): the data dir's disk under the warning threshold, or full
  DISK_LOW(Alert.DISK_LOW, Alert.WARNING),
  DISK_FULL(Alert.DISK_FULL, Alert.CRITICAL),
  RECOVERED(Alert.RECOVERED, Alert.INFO);

  private final String kind;
  private final String severity;

  AlertKind(String kind, String severity) {
    this.kind = kind;
    this.severity = severity;
  }

  /** The word: the {@code kind} of the {@link Alert} record and of every delivery. */
  public String kind() {
    return kind;
  }

  /** {@link Alert#INFO}, {@link Alert#WARNING} or {@link Alert#CRITICAL}. */
  public String severity() {
    return severity;
  }

  /** The kind with this word, if it is one of ours. */
  public static Optional<AlertKind> of(String word) {
    return Arrays.stream(values()).filter(k -> k.kind.equals(word)).findFirst();
  }
}
