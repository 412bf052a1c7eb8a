package dev.vigia.common.alert;

import java.time.Instant;

/**
 * Something a person must know about one org's session, published by the monitor on
 * {@link #ADDRESS}; {@code org} is null for an alert about the server itself (its disk).
 * Delivery (mail, webhook, cooldown) is the job of whoever listens.
 */
public record Alert(String org, String kind, String severity, String message, Instant at) {

  public static final String ADDRESS = "vigia.monitor.alert";

  public static final String INFO = "info";
  public static final String WARNING = "warning";
  public static final String CRITICAL = "critical";

  /** 440: another client holds the credentials; a person must take over or clear. */
  public static final String CONFLICT = "conflict";
  /** 401: the phone removed this device; a new link is needed. */
  public static final String LOGGED_OUT = "logged_out";
  /** 402 / 403 / 406: the account is restricted. */
  public static final String BANNED = "banned";
  /** 405 / 411: the engine is too old for WhatsApp. */
  public static final String OUTDATED = "outdated";
  /**
   * Automatic reconnecting stopped: the breaker opened (too many failures in the window), or the
   * gateway refused a reconnect. The same word as the webhook event and the metrics tag.
   */
  public static final String BREAKER_OPEN = "breaker_open";
  /** 500 several times in a row: the stored session looks corrupt. */
  public static final String BAD_SESSION = "bad_session";
  /** Decrypt failures across many contacts: the session may need a clear. */
  public static final String DECRYPT_DEGRADED = "decrypt_degraded";
  /** A 401's credentials could not be archived: the session is FAILED until a person clears it. */
  public static final String ARCHIVE_FAILED = "archive_failed";
  /** The server's: the data dir's disk has less free space than the warning threshold. */
  public static final String DISK_LOW = "disk_low";
  /** The server's: the data dir's disk is full; writes fail (nothing is corrupted). */
  public static final String DISK_FULL = "disk_full";
  /** A session that had an alert is connected again. */
  public static final String RECOVERED = "recovered";
}
