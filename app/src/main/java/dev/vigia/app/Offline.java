package dev.vigia.app;

import dev.vigia.common.OrgId;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.storage.DataDirLock;
import dev.vigia.dashboard.account.PasswordHasher;
import dev.vigia.dashboard.account.User;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Subcommands that work on the data dir while no server runs (they take its lock). */
final class Offline {

  private Offline() {}

  static int importBaileys(VigiaConfig config, Path folder, String org) throws Exception {
    if (!OrgId.isValid(org)) {
      throw new IllegalArgumentException("--org " + OrgId.describeInvalid());
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(folder + " is not a folder");
    }
    AuthStateStore.ImportReport report = withData(config, vertx -> {
      // into the store VIGIA_STORE names: the data dir's folders, or PostgreSQL
      Stores stores = Stores.forTool(config, vertx, Clock.systemUTC());
      return stores.open().compose(v -> stores.authState()
          .importBaileysFolder(org, folder.toAbsolutePath()));
    });
    System.out.println("imported " + report.files() + " files for org " + report.org() + ": "
        + report.byType());
    return 0;
  }

  static int addUser(VigiaConfig config, String username, String role, List<String> orgs)
      throws Exception {
    String password = System.getenv("VIGIA_NEW_PASSWORD");
    if (password == null) {
      System.err.print("password for " + username + ": ");
      var console = System.console();
      password = console != null ? new String(console.readPassword())
          : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.length() < 8) {
      throw new IllegalArgumentException("the password must have at least 8 characters");
    }
    if (!role.equals(User.ADMIN) && !role.equals(User.OPERATOR)) {
      throw new IllegalArgumentException("--role must be admin or operator");
    }
    for (String org : orgs) {
      OrgId.require(org);
    }
    String hash = new PasswordHasher(config.passwordIterations()).hash(password);
    withData(config, vertx -> {
      // into the store VIGIA_STORE names: the accounts file, or PostgreSQL
      Stores stores = Stores.forTool(config, vertx, Clock.systemUTC());
      var accounts = stores.dashboard().accounts();
      // a database is migrated first; the file store's auth state is not needed for this
      Future<Void> opened = stores.openBeforeStart() ? stores.open() : Future.succeededFuture();
      return opened.compose(v -> accounts.open()).compose(v -> accounts.createUser(
          new User(username, hash, role, role.equals(User.ADMIN) ? List.of() : orgs)));
    });
    System.out.println("user " + username + " added (" + role + ")");
    return 0;
  }

  private static <T> T withData(VigiaConfig config, Function<Vertx, Future<T>> work)
      throws Exception {
    DataDir.prepare(config.dataPath());
    try (DataDirLock lock = DataDirLock.acquire(config.dataPath())) {
      Vertx vertx = Vertx.vertx();
      try {
        return work.apply(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
