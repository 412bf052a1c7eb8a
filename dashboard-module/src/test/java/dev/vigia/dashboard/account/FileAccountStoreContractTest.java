package dev.vigia.dashboard.account;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The accounts contract against the file store ({@code accounts/accounts.json}). */
class FileAccountStoreContractTest extends AccountStoreContractTest {

  @TempDir Path dataDir;

  @Override
  protected AccountStore newStore(Vertx vertx) {
    return new FileAccountStore(vertx, dataDir);
  }

  @Override
  protected AccountStore reopen(Vertx vertx) {
    return new FileAccountStore(vertx, dataDir);
  }
}
