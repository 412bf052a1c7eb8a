package dev.vigia.app;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgSchema;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.PgUnavailableException;
import dev.vigia.common.storage.DataDirLock;
import dev.vigia.dashboard.account.AdminToken;
import dev.vigia.dashboard.account.ApiKey;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.dashboard.account.FileTokenStore;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.User;
import dev.vigia.gateway.session.FileSessionRecordStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.monitor.journal.FileJournal;
import dev.vigia.monitor.stats.DailyStats;
import dev.vigia.monitor.stats.StatsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * {@code migrate-store --to <url>}: copies a file data dir into PostgreSQL while Vigía is stopped
 * (it takes the data dir's lock), one transaction per org, then reads every org back and compares
 * counts and a SHA-256 over all its values; only when every org matches are the copied folders
 * moved aside (into {@code moved-to-postgres-<time>/}), which is also the way back. A run stopped
 * half-way leaves the folders in place; running it again replaces what the first run wrote.
 */
final class MigrateStore {

  static final String ASIDE = "moved-to-postgres-";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private MigrateStore() {}

  /** Returns the exit code; {@code out} gets one line per org and the summary. */
  static int run(VigiaConfig config, String url, PrintStream out) throws Exception {
    PgSettings to;
    try {
      to = PgSettings.parse(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--to " + e.getMessage());
    }
    Path data = config.dataPath();
    if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("the data dir " + data + " does not exist");
    }
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      if (FileStoreContents.of(data).isEmpty()) {
        out.println("nothing to copy: " + data + " holds none of the file store's data (already"
            + " moved aside?)");
        return 0;
      }
      Vertx vertx = Vertx.vertx();
      Loaded loaded;
      try {
        loaded = recover(vertx, data);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      FileStoreContents contents = FileStoreContents.of(data);
      PgSchema.migrate(to);
      SortedSet<String> orgs = new TreeSet<>(contents.orgs());
      orgs.addAll(loaded.orgs.keySet());
      FileStoreReader reader = new FileStoreReader(data, loaded.stats, loaded.orgs,
          loaded.apiKeys, loaded.users);
      List<String> bad = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(to.jdbcUrl(), to.user(), to.password())) {
        PgCopier pg = new PgCopier(c);
        pg.writeUsers(loaded.users);
        Instant now = Instant.now();
        for (String org : orgs) {
          OrgCopy copy = reader.read(org);
          pg.write(copy, loaded.orgs.get(org), reader.members(org),
              loaded.apiKeys.getOrDefault(org, List.of()), now);
          OrgCopy back = pg.read(org);
          boolean same = copy.counts().equals(back.counts())
              && copy.checksum().equals(back.checksum());
          out.println("org " + org + ": " + copy.counts() + "; sha-256 " + copy.checksum()
              + (same ? " (PostgreSQL: the same)" : " BUT PostgreSQL holds " + back.counts()
                  + "; sha-256 " + back.checksum()));
          if (!same) {
            bad.add(org);
          }
        }
        int users = pg.sameUsers(loaded.users);
        out.println("users: " + loaded.users.size() + " in the accounts file, " + users
            + " the same in PostgreSQL");
        if (users != loaded.users.size()) {
          bad.add("(users)");
        }
        TokenCopy.write(c, loaded.tokens);
        int tokens = TokenCopy.same(c, loaded.tokens);
        out.println("admin tokens: " + loaded.tokens.size() + " in the tokens file, " + tokens
            + " the same in PostgreSQL");
        if (tokens != loaded.tokens.size()) {
          bad.add("(admin tokens)");
        }
      } catch (SQLException e) {
        throw new PgUnavailableException("PostgreSQL " + to.where() + ": the copy failed ("
            + e.getMessage() + "); the data dir is unchanged: run migrate-store again", null);
      }
      if (!bad.isEmpty()) {
        out.println("the copy differs for " + String.join(", ", bad) + "; the data dir is"
            + " unchanged");
        return 1;
      }
      Path aside = asideFolder(data);
      for (String folder : contents.folders()) {
        Files.move(data.resolve(folder), aside.resolve(folder));
      }
      out.println("copied " + orgs.size() + " org(s) into PostgreSQL " + to.where() + "; the file"
          + " store's folders are in " + aside + " (the way back: stop Vigía, move them back,"
          + " VIGIA_STORE=file)");
      out.println("start with: VIGIA_STORE=postgres VIGIA_PG_URL=<the same url>");
      return 0;
    }
  }

  /** What the file store holds once its own recovery ran (as a start would run it). */
  private record Loaded(Map<String, DailyStats> stats, Map<String, Org> orgs, List<User> users,
      Map<String, List<ApiKey>> apiKeys, List<AdminToken> tokens) {}

  private static Loaded recover(Vertx vertx, Path data) throws Exception {
    // the auth-state log replayed into the key files, which the copy reads
    FileAuthStateStore auth = new FileAuthStateStore(vertx, data, Clock.systemUTC());
    await(auth.open().compose(v -> auth.flush()).eventually(auth::close));
    // the session records' and the journal's logs folded into their files
    FileSessionRecordStore records = new FileSessionRecordStore(vertx, data);
    await(records.flush().eventually(records::close));
    FileJournal journal = new FileJournal(vertx, data);
    await(journal.flush().eventually(journal::close));
    for (String folded : List.of(FileSessionRecordStore.LOG_FOLDER, FileJournal.LOG_FOLDER)) {
      try {
        Files.deleteIfExists(data.resolve(folded)); // empty once folded: nothing to move aside
      } catch (DirectoryNotEmptyException kept) {
        // not all folded: it moves aside with the rest, the way back replays it
      }
    }
    // the counter log folded into each org's stats
    StatsStore statsStore = new StatsStore(data);
    Map<String, DailyStats> stats;
    try {
      stats = statsStore.load().stats();
    } finally {
      statsStore.close();
    }
    Map<String, Org> orgs = new HashMap<>();
    Map<String, List<ApiKey>> keys = new HashMap<>();
    List<User> users = new ArrayList<>();
    if (Files.exists(data.resolve(FileAccountStore.FOLDER)
        .resolve(FileAccountStore.FILE))) {
      FileAccountStore accounts = new FileAccountStore(vertx, data);
      await(accounts.open());
      for (Org org : await(accounts.listOrgs())) {
        orgs.put(org.id(), org);
        keys.put(org.id(), await(accounts.listApiKeys(org.id())));
      }
      users.addAll(await(accounts.listUsers()));
    }
    List<AdminToken> tokens = new ArrayList<>();
    if (Files.exists(data.resolve(FileAccountStore.FOLDER).resolve(FileTokenStore.FILE))) {
      FileTokenStore file = new FileTokenStore(vertx, data);
      tokens.addAll(await(file.open().compose(v -> file.list())));
    }
    return new Loaded(stats, orgs, users, keys, tokens);
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A new folder for the moved files: a second move within the same second gets a suffix. */
  private static Path asideFolder(Path data) throws IOException {
    String name = ASIDE + STAMP.format(Instant.now());
    for (int n = 1; ; n++) {
      Path aside = data.resolve(n == 1 ? name : name + "-" + n);
      try {
        return Files.createDirectory(aside);
      } catch (FileAlreadyExistsException taken) {
        // an earlier move of this second: the next suffix
      }
    }
  }
}
