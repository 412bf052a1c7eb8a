package dev.vigia.dashboard.account;

/** A change the account store refused: the name is taken, or the thing does not exist. */
public class AccountStoreException extends RuntimeException {

  public enum Reason { CONFLICT, NOT_FOUND }

  private final Reason reason;

  public AccountStoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
