package dev.vigia.monitor.policy;

import dev.vigia.common.alert.Alert;

/** The alerts the policy raises, with the word on the bus and how urgent each is. */
public enum AlertKind {
  CONFLICT(Alert.CONFLICT, Alert.WARNING),
  LOGGED_OUT(Alert.LOGGED_OUT, Alert.WARNING),
  BANNED(Alert.BANNED, Alert.CRITICAL),
  OUTDATED(Alert.OUTDATED, Alert.CRITICAL),
  RECONNECT_FAILED(Alert.RECONNECT_FAILED, Alert.CRITICAL),
  BAD_SESSION(Alert.BAD_SESSION, Alert.CRITICAL),
  DECRYPT_DEGRADED(Alert.DECRYPT_DEGRADED, Alert.WARNING);

  private final String kind;
  private final String severity;

  AlertKind(String kind, String severity) {
    this.kind = kind;
    this.severity = severity;
  }

  /** The {@code kind} of the {@link Alert} record. */
  public String kind() {
    return kind;
  }

  /** {@link Alert#INFO}, {@link Alert#WARNING} or {@link Alert#CRITICAL}. */
  public String severity() {
    return severity;
  }
}
