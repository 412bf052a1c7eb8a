package dev.vigia.gateway.session;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The session-record contract against the file store ({@code sessions/<org>.json}). */
class FileSessionRecordStoreContractTest extends SessionRecordStoreContractTest {

  @TempDir Path dataDir;

  @Override
  protected SessionRecordStore newStore(Vertx vertx) {
    return new FileSessionRecordStore(vertx, dataDir);
  }

  @Override
  protected SessionRecordStore reopen(Vertx vertx) {
    return new FileSessionRecordStore(vertx, dataDir);
  }
}
