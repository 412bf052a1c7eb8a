package dev.vigia.common.storage;

/**
 * A store could not do its work because what holds the data did not answer or failed (PostgreSQL
 * down, a connection lost mid-query). Its message is one line naming what could not be done and
 * for which org, never a password or a value; the cause holds the driver's error. Retrying later
 * may succeed: the HTTP API answers 503.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
