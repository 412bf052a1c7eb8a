package dev.vigia.common.pg;

/**
 * PostgreSQL cannot be used (not reachable, refused the login, wrong encoding, failed migration).
 * Its message is one line naming the database without its password, so start-up can print it as
 * it is and stop.
 */
public final class PgUnavailableException extends RuntimeException {

  public PgUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static PgUnavailableException of(PgSettings settings, String what, Throwable cause) {
    String reason = PgSchema.rootMessage(cause);
    String oneLine = reason == null ? cause.getClass().getSimpleName()
        : reason.lines().findFirst().orElse("").strip();
    if (settings.password() != null && !settings.password().isEmpty()) {
      oneLine = oneLine.replace(settings.password(), "****");
    }
    return new PgUnavailableException("PostgreSQL " + settings.where() + " (VIGIA_PG_URL): "
        + what + ": " + oneLine, cause);
  }
}
