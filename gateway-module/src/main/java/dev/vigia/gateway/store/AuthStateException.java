package dev.vigia.gateway.store;

/**
 * An auth-state operation that could not be done, with a message a person can act on: the HTTP
 * API and the CLI show {@link #getMessage()} as it is (it names files by name only, never holds a
 * secret or a stack trace). {@link #failureCode()} is the bus/HTTP status to answer with.
 */
public final class AuthStateException extends RuntimeException {

  /** Why it failed, and the status to answer with. */
  public enum Kind {
    /** The input (a folder to import, a value) is not acceptable: 400. */
    INVALID(400),
    /** The org's current state does not allow it (e.g. import over existing state): 409. */
    CONFLICT(409),
    /** What it names does not exist (an archive restored or purged already): 404. */
    NOT_FOUND(404),
    /** The storage itself failed (disk full, permissions): 500; details are in the log. */
    STORAGE(500),
    /**
     * The write came through a revoked {@link AuthStateWriter} (its session run was closed,
     * cleared or logged out, or a newer run holds the org): 409; nothing was written.
     */
    REVOKED(409);

    private final int failureCode;

    Kind(int failureCode) {
      this.failureCode = failureCode;
    }
  }

  private final Kind kind;

  public AuthStateException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public AuthStateException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public int failureCode() {
    return kind.failureCode;
  }
}
