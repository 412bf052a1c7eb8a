package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract against the file journal ({@code journal/<org>.jsonl}). */
class FileJournalContractTest extends JournalContractTest {

  @TempDir Path dataDir;
  private final List<FileJournal> opened = new ArrayList<>();

  @Override
  protected Journal newJournal(Vertx vertx) {
    return open(vertx);
  }

  @Override
  protected Journal reopen(Vertx vertx) {
    return open(vertx);
  }

  /** Each journal syncs its files before the temp dir goes (it works behind acknowledgements). */
  @AfterEach
  void closeJournals() throws Exception {
    Future.join(opened.stream().map(FileJournal::close).toList())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FileJournal open(Vertx vertx) {
    FileJournal journal = new FileJournal(vertx, dataDir);
    opened.add(journal);
    return journal;
  }

  @Override
  protected void assertNothingStored() throws Exception {
    try (Stream<Path> s = Files.walk(dataDir)) {
      assertTrue(s.noneMatch(Files::isRegularFile), "nothing may be written for bad input");
    }
  }
}
