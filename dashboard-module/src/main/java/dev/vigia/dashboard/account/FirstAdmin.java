package dev.vigia.dashboard.account;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can log in: on a start with no user at all, creates the admin with the
 * configured password or, when none is set, a random one printed once to stdout. Later starts
 * find a user and print nothing.
 */
public final class FirstAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

  private FirstAdmin() {}

  /** Completes with true when it created the admin. */
  public static Future<Boolean> ensure(Vertx vertx, AccountStore accounts, PasswordHasher hasher,
      String username, String configuredPassword, PrintStream out) {
    return accounts.listUsers().compose(users -> {
      if (!users.isEmpty()) {
        return Future.succeededFuture(false);
      }
      String password = configuredPassword != null ? configuredPassword : randomPassword();
      return vertx.executeBlocking(() -> hasher.hash(password))
          .compose(hash -> accounts.createUser(new User(username, hash, User.ADMIN, List.of())))
          .map(user -> {
            if (configuredPassword == null) {
              // printed after the user is stored, so the shown password always works
              String line = "=".repeat(72);
              out.println(line);
              out.println("  Vigía first start: created admin user '" + username + "' with password");
              out.println("  " + password);
              out.println("  It will not be shown again. Set VIGIA_ADMIN_PASSWORD to choose one.");
              out.println(line);
              out.flush();
              LOG.info("first start: created admin user '{}'; its password was printed once to stdout",
                  username);
            } else {
              LOG.info("first start: created admin user '{}' with VIGIA_ADMIN_PASSWORD", username);
            }
            return true;
          });
    });
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
