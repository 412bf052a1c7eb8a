package dev.vigia.dashboard.account;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The admin tokens contract against the file store ({@code accounts/tokens.json}). */
class FileTokenStoreContractTest extends TokenStoreContractTest {

  @TempDir Path dataDir;

  @Override
  protected AccountStore newAccounts(Vertx vertx) {
    return new FileAccountStore(vertx, dataDir);
  }

  @Override
  protected TokenStore reopen(Vertx vertx) {
    return new FileTokenStore(vertx, dataDir);
  }
}
