package dev.vigia.dashboard.account;

/**
 * A change the account store refused: the name is taken, the thing does not exist, or it would
 * leave nobody able to administer Vigía.
 */
public class AccountStoreException extends RuntimeException {

  public enum Reason { CONFLICT, NOT_FOUND, LAST_ADMIN }

  private final Reason reason;

  public AccountStoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
