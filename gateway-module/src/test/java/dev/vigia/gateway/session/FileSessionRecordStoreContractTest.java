package dev.vigia.gateway.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The session-record contract against the file store ({@code sessions/<org>.json}). */
class FileSessionRecordStoreContractTest extends SessionRecordStoreContractTest {

  @TempDir Path dataDir;
  private final List<FileSessionRecordStore> opened = new ArrayList<>();

  @Override
  protected SessionRecordStore newStore(Vertx vertx) {
    return open(vertx);
  }

  @Override
  protected SessionRecordStore reopen(Vertx vertx) {
    return open(vertx);
  }

  /** Each store folds its log before the temp dir goes (it writes behind acknowledgements). */
  @AfterEach
  void closeStores() throws Exception {
    Future.join(opened.stream().map(FileSessionRecordStore::close).toList())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FileSessionRecordStore open(Vertx vertx) {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    opened.add(store);
    return store;
  }
}
