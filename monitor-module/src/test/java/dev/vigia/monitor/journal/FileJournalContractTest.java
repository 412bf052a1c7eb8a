package dev.vigia.monitor.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract against the file journal ({@code journal/<org>.jsonl}). */
class FileJournalContractTest extends JournalContractTest {

  @TempDir Path dataDir;

  @Override
  protected Journal newJournal(Vertx vertx) {
    return new FileJournal(vertx, dataDir);
  }

  @Override
  protected Journal reopen(Vertx vertx) {
    return new FileJournal(vertx, dataDir);
  }

  @Override
  protected void assertNothingStored() throws Exception {
    try (Stream<Path> s = Files.walk(dataDir)) {
      assertTrue(s.noneMatch(Files::isRegularFile), "nothing may be written for bad input");
    }
  }
}
