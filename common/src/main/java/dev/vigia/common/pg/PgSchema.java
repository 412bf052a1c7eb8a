package dev.vigia.common.pg;

import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database's schema to this build's version with Flyway: the versioned scripts in
 * {@code common/src/main/resources/db/migration/} ({@code V<n>__<what>.sql}), applied in order,
 * each once, recorded in {@code flyway_schema_history}. Running it again does nothing; two nodes
 * starting together are safe (Flyway holds a PostgreSQL advisory lock while it migrates). A
 * script already applied is never edited: a change is a new version.
 */
public final class PgSchema {

  static final String LOCATION = "classpath:db/migration";

  private PgSchema() {}

  /**
   * Blocking (JDBC): call it on a worker. Returns how many versions were applied; throws
   * {@link PgUnavailableException} with one line a person can act on.
   */
  public static int migrate(PgSettings settings) {
    Flyway flyway = Flyway.configure(PgSchema.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations(LOCATION)
        // an unknown newer version in the database means a newer Vigía migrated it: refuse
        .validateOnMigrate(true)
        .load();
    try {
      MigrateResult result = flyway.migrate();
      return result.migrationsExecuted;
    } catch (RuntimeException e) {
      throw PgUnavailableException.of(settings,
          isLogin(e) ? "cannot connect" : "cannot migrate the schema", e);
    }
  }

  /** SQLSTATE class 08 (connection) or 28 (authorization): the server was not reached or refused the login. */
  private static boolean isLogin(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28"))) {
        return true;
      }
    }
    return false;
  }

  /** The deepest SQL message under {@code e} (the driver's own words), else {@code e}'s. */
  static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        message = t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return message;
  }
}
