package dev.vigia.common.session;

import java.time.Instant;

/**
 * Something that happened on a live session without changing its state: a message sent or
 * failed, a decrypt failure for one contact, a keep-alive. Published on {@link #ADDRESS}.
 */
public record Activity(String org, String kind, String contact, String detail, Instant at) {

  public static final String ADDRESS = "vigia.session.activity";

  public static final String MESSAGE_SENT = "message_sent";
  public static final String MESSAGE_FAILED = "message_failed";
  /** A message from someone else arrived and was decrypted. */
  public static final String MESSAGE_RECEIVED = "message_received";
  /** Bad MAC, MessageCounterError or no session, for one contact. */
  public static final String DECRYPT_FAILURE = "decrypt_failure";
  public static final String KEEP_ALIVE = "keep_alive";
  /** The contact's Signal session was reset by a repair. */
  public static final String REPAIRED = "repaired";
}
