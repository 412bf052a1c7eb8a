package dev.vigia.dashboard.account;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can log in: on a start with no user at all, creates the admin with the
 * configured password or, when none is set, a random one written to {@link #PASSWORD_FILE} in the
 * data dir, readable by its owner only. The password never goes to the log (logs are collected
 * and kept by others); one log line names the file. Later starts find a user and do nothing.
 */
public final class FirstAdmin {

  /** In the data dir: the generated password of the first admin, 0600. */
  public static final String PASSWORD_FILE = "initial-admin-password";

  private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

  private FirstAdmin() {}

  /** Completes with true when it created the admin. */
  public static Future<Boolean> ensure(Vertx vertx, AccountStore accounts, PasswordHasher hasher,
      String username, String configuredPassword, Path dataDir) {
    return accounts.listUsers().compose(users -> {
      if (!users.isEmpty()) {
        return Future.succeededFuture(false);
      }
      if (configuredPassword != null) {
        return vertx.executeBlocking(() -> hasher.hash(configuredPassword))
            .compose(hash -> accounts.createUser(new User(username, hash, User.ADMIN, List.of())))
            .map(user -> {
              LOG.info("first start: created admin user '{}' with VIGIA_ADMIN_PASSWORD", username);
              return true;
            })
            .recover(e -> madeElsewhere(vertx, e, null));
      }
      String password = randomPassword();
      Path file = dataDir.resolve(PASSWORD_FILE);
      // the file first: a user whose password was never saved anywhere could not log in
      return vertx.executeBlocking(() -> {
        OwnerOnly.writeNew(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
        return hasher.hash(password);
      })
          .compose(hash -> accounts.createUser(new User(username, hash, User.ADMIN, List.of())))
          .map(user -> {
            LOG.info("first start: created admin user '{}'; its password is in {} (readable by"
                + " this system user only): log in, change the password, then delete that file",
                username, file.toAbsolutePath());
            return true;
          })
          .recover(e -> madeElsewhere(vertx, e, file));
    });
  }

  /**
   * Another node of a cluster, started at the same moment on the same empty database, created
   * the first admin between this node's look and its write: that admin stands, this start goes
   * on, and this node's password file (a password of no user) is removed.
   */
  private static Future<Boolean> madeElsewhere(Vertx vertx, Throwable e, Path file) {
    if (!(e instanceof AccountStoreException conflict)
        || conflict.reason() != AccountStoreException.Reason.CONFLICT) {
      return Future.failedFuture(e);
    }
    LOG.info("first start: another node created the first admin meanwhile; its password is in"
        + " that node's data dir");
    return file == null ? Future.succeededFuture(false)
        : vertx.executeBlocking(() -> {
          Files.deleteIfExists(file);
          return false;
        });
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
