package dev.vigia.common;

/** The states of one organization's WhatsApp session (DESIGN §2). */
public enum SessionState {
  /** No connection wanted: new org, after disconnect, after clear. */
  STOPPED,
  /** Opening a connection. */
  STARTING,
  /** Waiting for a phone to scan the QR; the payload rotates. */
  QR_REQUIRED,
  /** Waiting for the 8-character code to be typed on the phone. */
  PAIRING_CODE,
  /** Linked and online. */
  CONNECTED,
  /** Transient failure; the next attempt is scheduled. */
  RECONNECTING,
  /** Another client uses the same credentials (440). */
  CONFLICT,
  /** The phone or WhatsApp removed this device (401); credentials archived. */
  LOGGED_OUT,
  /** 402 / 403 / 406: account restricted. */
  BANNED,
  /** Gave up: budget spent, repeated bad sessions, outdated client. */
  FAILED;

  /** True while a connection is wanted and being worked on or held. */
  public boolean isActive() {
    return this == STARTING || this == QR_REQUIRED || this == PAIRING_CODE || this == CONNECTED
        || this == RECONNECTING;
  }
}
