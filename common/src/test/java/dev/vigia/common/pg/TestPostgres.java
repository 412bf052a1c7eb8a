package dev.vigia.common.pg;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL of the tests: the server at {@code VIGIA_TEST_PG_URL} when it is set (its user
 * must be allowed to create databases), otherwise a {@link LocalPostgres} started once per test
 * JVM, on first use, and removed when the JVM ends. Each caller of {@link #newDatabase()} gets an
 * empty database of its own, so test classes never see each other's rows.
 */
public final class TestPostgres {

  public static final String URL_VARIABLE = "VIGIA_TEST_PG_URL";

  private static PgSettings admin;
  private static LocalPostgres local;
  private static final List<String> created = new ArrayList<>();

  private TestPostgres() {}

  /** A new, empty UTF-8 database (no schema yet: the code under test migrates it). */
  public static synchronized PgSettings newDatabase() {
    PgSettings server = server();
    String name = "vigia_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(server, "CREATE DATABASE " + name
        + " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
    created.add(name);
    return server.withDatabase(name);
  }

  /** A new, empty database with this build's schema: for tests of the PostgreSQL stores. */
  public static PgSettings newMigratedDatabase() {
    PgSettings db = newDatabase();
    PgSchema.migrate(db);
    return db;
  }

  /** Deletes every row of a migrated database (every org's data, users, admin tokens, logins, throttle). */
  public static void emptyTables(PgSettings db) {
    execute(db, "TRUNCATE org, app_user, admin_token, web_login, login_failure CASCADE");
  }

  /** A small pool on {@code db} (closed with its Vert.x). */
  public static Pool pool(Vertx vertx, PgSettings db) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(db.connectOptions()).using(vertx).build();
  }

  /** The server's maintenance database, as its admin: for tests that create or drop things. */
  public static synchronized PgSettings server() {
    if (admin == null) {
      String url = System.getenv(URL_VARIABLE);
      try {
        if (url != null && !url.isBlank()) {
          admin = PgSettings.parse(url);
        } else {
          local = LocalPostgres.start();
          admin = local.admin();
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(URL_VARIABLE + " " + e.getMessage(), e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::cleanUp, "test-pg-cleanup"));
    }
    return admin;
  }

  /** Runs one statement over JDBC (blocking: from a test thread, never an event loop). */
  public static void execute(PgSettings settings, String sql) {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
        settings.password()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * The first column of the first row {@code sql} answers, as text, or null when it answers no
   * row; {@code args} fill its {@code ?} (blocking: from a test thread, never an event loop).
   */
  public static String value(PgSettings db, String sql, String... args) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static synchronized void cleanUp() {
    if (local != null) {
      local.close(); // the whole server goes, with every database in it
      return;
    }
    for (String name : created) {
      try {
        execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (RuntimeException e) {
        System.err.println("could not drop the test database " + name + ": " + e.getMessage());
      }
    }
  }
}
