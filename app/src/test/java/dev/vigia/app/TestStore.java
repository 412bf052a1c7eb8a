package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.gateway.store.file.BaileysFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The store a scenario runs with ({@code VIGIA_STORE}): the settings that choose it, and a look at
 * what it really holds (files under the data dir, or rows in PostgreSQL), so one scenario proves
 * the same behaviour on both stores.
 */
abstract class TestStore {

  /** The variables that choose this store (none for the default, the files). */
  abstract Map<String, String> settings();

  /** The org's live creds as stored, or null. */
  abstract byte[] creds(Vigia vigia, String org) throws Exception;

  /** How many archived auth states of the org hold creds. */
  abstract int archivedCreds(String org) throws Exception;

  /**
   * All the archive holds of the org: its folders, their files and notes; or its rows and their
   * keys' rows.
   */
  abstract int archiveEntries(String org) throws Exception;

  abstract boolean hasKey(Vigia vigia, String org, String type, String id) throws Exception;

  /** Puts a key beside the store's back, as a corrupt or leftover one would be. */
  abstract void putKey(Vigia vigia, String org, String type, String id, String json)
      throws Exception;

  /** Whether the gateway's record of the org is stored. */
  abstract boolean hasRecord(String org) throws Exception;

  /** Whether daily stats of the org are stored. */
  abstract boolean hasStats(String org) throws Exception;

  /** The org's auth state written out as a Baileys folder in {@code into}. */
  abstract void exportFolder(Vigia vigia, String org, Path into) throws Exception;

  /** Everything stored, so a test can see that refused requests wrote nothing. */
  abstract Map<String, String> snapshot() throws Exception;

  /**
   * For a test class with a static lifecycle: PostgreSQL (a new database) when the class is a
   * {@link OnPostgres}, else the files under {@code data}.
   */
  static TestStore forTestClass(Class<?> testClass, Path data) {
    return OnPostgres.class.isAssignableFrom(testClass)
        ? postgres(dev.vigia.common.pg.TestPostgres.newDatabase()) : files(data);
  }

  /** Marks a scenario test class that runs with every store in PostgreSQL. */
  interface OnPostgres {}

  static TestStore files(Path data) {
    return new InFiles(data);
  }

  /** {@code db}: an empty database (Vigía migrates it at start). */
  static TestStore postgres(PgSettings db) {
    return new InPostgres(db);
  }

  private static final Map<Class<?>, PgSettings> CLASS_DATABASES = new java.util.HashMap<>();

  /**
   * PostgreSQL for one test of {@code testClass}, from a field initializer (so before any
   * {@code @BeforeEach} starts Vigía): the class's one migrated database, emptied. Creating and
   * migrating a database per test cost seconds of the machine's scarce CPU each.
   */
  static synchronized TestStore postgresEmptied(Class<?> testClass) {
    PgSettings db = CLASS_DATABASES.computeIfAbsent(testClass,
        c -> dev.vigia.common.pg.TestPostgres.newMigratedDatabase());
    dev.vigia.common.pg.TestPostgres.emptyTables(db);
    return new InPostgres(db);
  }

  private static final class InFiles extends TestStore {
    private final Path data;

    InFiles(Path data) {
      this.data = data;
    }

    @Override
    Map<String, String> settings() {
      return Map.of();
    }

    @Override
    byte[] creds(Vigia vigia, String org) throws IOException {
      ApiClient.await(vigia.flushAuthState()); // the key files follow the store's log
      Path file = data.resolve("auth_sessions").resolve(org).resolve("creds.json");
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    int archivedCreds(String org) throws IOException {
      Path dir = data.resolve("archive").resolve(org);
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        return (int) s.filter(p -> p.getFileName().toString().equals("creds.json")).count();
      }
    }

    @Override
    int archiveEntries(String org) throws IOException {
      Path dir = data.resolve("archive").resolve(org);
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        return (int) s.filter(p -> !p.equals(dir)).count();
      }
    }

    @Override
    boolean hasKey(Vigia vigia, String org, String type, String id) {
      return Files.exists(data.resolve("auth_sessions").resolve(org)
          .resolve(BaileysFolder.fileName(type, id)));
    }

    @Override
    void putKey(Vigia vigia, String org, String type, String id, String json) throws IOException {
      ApiClient.await(vigia.flushAuthState());
      Files.writeString(data.resolve("auth_sessions").resolve(org)
          .resolve(BaileysFolder.fileName(type, id)), json);
    }

    @Override
    boolean hasRecord(String org) {
      return Files.exists(data.resolve("sessions").resolve(org + ".json"));
    }

    @Override
    boolean hasStats(String org) {
      return Files.exists(data.resolve("stats").resolve(org + ".json"));
    }

    @Override
    void exportFolder(Vigia vigia, String org, Path into) throws IOException {
      ApiClient.await(vigia.flushAuthState()); // a folder copied out of a running Vigía
      try (Stream<Path> files = Files.list(data.resolve("auth_sessions").resolve(org))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, into.resolve(f.getFileName()));
        }
      }
    }

    @Override
    Map<String, String> snapshot() throws IOException {
      Map<String, String> files = new TreeMap<>();
      try (Stream<Path> s = Files.walk(data)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isRegularFile(p)) {
            files.put(data.relativize(p).toString(),
                Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
          }
        }
      }
      return files;
    }
  }

  private static final class InPostgres extends TestStore {
    private final PgSettings db;

    InPostgres(PgSettings db) {
      this.db = db;
    }

    @Override
    Map<String, String> settings() {
      return Map.of("VIGIA_STORE", "postgres", "VIGIA_PG_URL", db.toUrl(),
          "VIGIA_PG_POOL_SIZE", "4");
    }

    @Override
    byte[] creds(Vigia vigia, String org) throws SQLException {
      String text = text("SELECT creds FROM auth_state WHERE org = ?", org);
      return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    int archivedCreds(String org) throws SQLException {
      return Integer.parseInt(text("SELECT count(*) FROM auth_archive WHERE org = ?"
          + " AND creds IS NOT NULL", org));
    }

    @Override
    int archiveEntries(String org) throws SQLException {
      return Integer.parseInt(text("SELECT (SELECT count(*) FROM auth_archive WHERE org = ?)"
          + " + (SELECT count(*) FROM auth_archive_key WHERE org = ?)", org, org));
    }

    @Override
    boolean hasKey(Vigia vigia, String org, String type, String id) throws SQLException {
      return text("SELECT value FROM auth_key WHERE org = ? AND type = ? AND id = ?", org, type,
          BaileysFolder.storedId(type, id)) != null;
    }

    @Override
    void putKey(Vigia vigia, String org, String type, String id, String json) throws SQLException {
      update("INSERT INTO auth_key (org, type, id, value) VALUES (?, ?, ?, ?)", org, type,
          BaileysFolder.storedId(type, id), json);
    }

    @Override
    boolean hasRecord(String org) throws SQLException {
      return text("SELECT record FROM session_record WHERE org = ?", org) != null;
    }

    @Override
    boolean hasStats(String org) throws SQLException {
      return !"0".equals(text("SELECT count(*) FROM daily_stats WHERE org = ?", org));
    }

    @Override
    void exportFolder(Vigia vigia, String org, Path into) throws Exception {
      Files.write(into.resolve(BaileysFolder.CREDS), creds(vigia, org));
      try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
          "SELECT type, id, value FROM auth_key WHERE org = ?")) {
        ps.setString(1, org);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Files.writeString(into.resolve(BaileysFolder.fileName(rs.getString(1),
                rs.getString(2))), rs.getString(3));
          }
        }
      }
    }

    /** Each table's rows, as one digest per table. */
    @Override
    Map<String, String> snapshot() throws SQLException {
      Map<String, String> tables = new TreeMap<>();
      List<String> names = new ArrayList<>();
      try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
              + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      for (String table : names) {
        tables.put(table, text("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY"
            + " t::text), '')) FROM \"" + table + "\" t"));
      }
      return tables;
    }

    private Connection connect() throws SQLException {
      return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private String text(String sql, String... args) {
      return dev.vigia.common.pg.TestPostgres.value(db, sql, args);
    }

    private void update(String sql, String... args) throws SQLException {
      try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setString(i + 1, args[i]);
        }
        ps.executeUpdate();
      }
    }
  }
}
