package dev.vigia.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The schema is migrated once, whoever starts first, and a database that cannot be used is named in one line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgSchemaTest {

  @Test
  void migratingAgainAppliesNothingAndEveryVersionIsRecordedOnce() throws Exception {
    PgSettings db = TestPostgres.newDatabase();
    assertTrue(PgSchema.migrate(db) > 0, "a new database gets every version");
    assertEquals(0, PgSchema.migrate(db), "a second start applies nothing");
    assertEquals(versionsInResources(), appliedVersions(db));
  }

  @Test
  void nodesStartingTogetherMigrateOnceAndBothStart() throws Exception {
    PgSettings db = TestPostgres.newDatabase();
    ExecutorService nodes = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> starts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        starts.add(nodes.submit(() -> PgSchema.migrate(db)));
      }
      int applied = 0;
      for (Future<Integer> start : starts) {
        applied += start.get(60, TimeUnit.SECONDS);
      }
      assertEquals(versionsInResources().size(), applied, "each version applied by one node only");
    } finally {
      nodes.shutdownNow();
    }
    assertEquals(versionsInResources(), appliedVersions(db));
  }

  @Test
  void anUnreachableServerIsOneLineWithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PgSettings nowhere = new PgSettings("127.0.0.1", closedPort, "vigia", "vigia", "s3cret-pw");
    PgUnavailableException e = assertThrows(PgUnavailableException.class,
        () -> PgSchema.migrate(nowhere));
    assertOneLineNamingTheDatabase(e.getMessage(), nowhere);
  }

  @Test
  void aWrongPasswordIsOneLineWithoutThePassword() {
    PgSettings server = TestPostgres.server();
    PgSettings wrong = new PgSettings(server.host(), server.port(), server.database(),
        server.user(), "not-the-s3cret");
    PgUnavailableException e = assertThrows(PgUnavailableException.class,
        () -> PgSchema.migrate(wrong));
    assertOneLineNamingTheDatabase(e.getMessage(), wrong);
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
  }

  @Test
  void openMigratesAndGivesAWorkingPool() throws Exception {
    PgSettings db = TestPostgres.newDatabase();
    Vertx vertx = Vertx.vertx();
    try {
      PgDatabase database = PgDatabase.create(vertx, db, 2);
      await(database.open());
      long tables = await(database.pool().query(
          "SELECT count(*) FROM pg_tables WHERE tablename IN ('org', 'auth_state', 'auth_key')")
          .execute()).iterator().next().getLong(0);
      assertEquals(3, tables);
      await(database.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aDatabaseThatIsNotUtf8IsRefused() throws Exception {
    PgSettings server = TestPostgres.server();
    String name = "vigia_latin1_" + System.nanoTime();
    TestPostgres.execute(server, "CREATE DATABASE " + name
        + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
    Vertx vertx = Vertx.vertx();
    try {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> await(PgDatabase.create(vertx, server.withDatabase(name), 2).open()));
      PgUnavailableException cause = assertInstanceOf(PgUnavailableException.class, e.getCause());
      assertTrue(cause.getMessage().contains("LATIN1") && cause.getMessage().contains("UTF8"),
          cause.getMessage());
    } finally {
      await(vertx.close());
      TestPostgres.execute(server, "DROP DATABASE " + name + " WITH (FORCE)");
    }
  }

  private static void assertOneLineNamingTheDatabase(String message, PgSettings settings) {
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains(settings.where()) && message.contains("VIGIA_PG_URL"), message);
    assertFalse(message.contains(settings.password()), "never the password: " + message);
  }

  private static List<String> versionsInResources() throws Exception {
    List<String> versions = new ArrayList<>();
    var dir = java.nio.file.Path.of(PgSchema.class.getResource("/db/migration").toURI());
    try (var files = java.nio.file.Files.list(dir)) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
          .map(n -> n.substring(1, n.indexOf("__"))).sorted(
              java.util.Comparator.comparingInt(Integer::parseInt)).forEach(versions::add);
    }
    return versions;
  }

  private static List<String> appliedVersions(PgSettings db) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                + " ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
