package dev.vigia.common.pg;

import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.storage.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * How the PostgreSQL stores report a database that failed them: one error line with the org in
 * the MDC, and a {@link StoreUnavailableException} to the caller, so a failed write always has an
 * outcome a person can see (the log, and the caller's own journal line, metric or 503). A
 * refusal of the store's own (bad input, a rule) passes through unchanged.
 */
public final class PgFailure {

  /** SQLSTATE of a unique or primary key violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  private PgFailure() {}

  /** {@code work}, with a failure of the database turned into {@link StoreUnavailableException}. */
  public static <T> Future<T> guard(Future<T> work, Logger log, String what, String org) {
    return work.recover(e -> Future.failedFuture(isDatabase(e) ? unavailable(log, what, org, e) : e));
  }

  /** Logs {@code e} once (org in the MDC) and says what could not be done. */
  public static StoreUnavailableException unavailable(Logger log, String what, String org,
      Throwable e) {
    OrgMdc.run(org, () -> log.error("PostgreSQL: could not {}{}: {}", what,
        org == null ? "" : " of org " + org, oneLine(e)));
    return new StoreUnavailableException("could not " + what
        + (org == null ? "" : " of organization " + org)
        + " (the database did not answer or failed; see the log)", e);
  }

  /** True when {@code e} came from the database or the connection to it, not from Vigía's rules. */
  public static boolean isDatabase(Throwable e) {
    if (e instanceof PgException || e instanceof IOException || e instanceof TimeoutException) {
      return true;
    }
    String type = e.getClass().getName();
    return type.startsWith("io.vertx.") || type.startsWith("io.netty.");
  }

  /** True when the database refused a row because its key exists. */
  public static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }
}
