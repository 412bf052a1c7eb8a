package dev.vigia.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FileSessionRecordStoreTest {

  @TempDir
  Path dataDir;

  @Test
  void recordsSurviveAndUnreadableOnesAreSkipped(Vertx vertx) throws Exception {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    SessionRecord two = new SessionRecord("2", SessionState.CONNECTED,
        Instant.parse("2026-01-02T03:04:05Z"), Cause.restartRequired(),
        new SessionView.Me("5215550000001:7@s.whatsapp.net", "Org"), Instant.parse("2026-01-02T03:04:05Z"),
        null, true, 12);
    SessionRecord four = new SessionRecord("4", SessionState.CONFLICT, Instant.EPOCH,
        Cause.conflict(), null, null, null, false, 3);
    await(store.save(two));
    await(store.save(four));
    await(store.save(four));
    await(store.close()); // the log folded into the files
    Path dir = dataDir.resolve(FileSessionRecordStore.FOLDER);
    assertTrue(Files.exists(dir.resolve("2.json")) && Files.exists(dir.resolve("4.json")));
    assertFalse(hasLogSegments(), "a closed store leaves its records in their files only");
    Files.writeString(dir.resolve("broken.json"), "{\"org\": \"broken\", \"state\": ");
    Files.writeString(dir.resolve(".tmp-9.json-123"), "{}");
    Files.writeString(dir.resolve("..json"), "{}");

    assertEquals(List.of(two, four), loadAllAndClose(vertx));
  }

  @Test
  void recordsSavedAndNotYetInTheirFilesComeBackFromTheLog(Vertx vertx) throws Exception {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    SessionRecord two = new SessionRecord("2", SessionState.CONNECTED, Instant.EPOCH, null,
        null, null, null, true, 7);
    await(store.save(new SessionRecord("2", SessionState.STARTING, Instant.EPOCH, null, null,
        null, null, true, 6)));
    await(store.save(two));
    await(store.save(new SessionRecord("3", SessionState.STOPPED, null, null, null, null, null,
        false, 1)));
    await(store.delete("3"));
    // acknowledged, still in the log only (a checkpoint waits for a pause): a crash now
    assertFalse(Files.exists(dataDir.resolve(FileSessionRecordStore.FOLDER).resolve("2.json")));

    assertEquals(List.of(two), loadAllAndClose(vertx));
    await(store.close());
  }

  @Test
  void tempFilesACrashLeftAreSweptWhenTheRecordsAreLoaded(Vertx vertx) throws Exception {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    await(store.save(new SessionRecord("2", SessionState.STOPPED, null, null, null, null, null,
        false, 1)));
    await(store.close());
    Path dir = dataDir.resolve(FileSessionRecordStore.FOLDER);
    Path leftover = dir.resolve(".tmp-2.json-6f1c");
    Files.writeString(leftover, "{\"org\":");

    assertEquals(1, loadAllAndClose(vertx).size());
    assertFalse(Files.exists(leftover), "the crash's temp file is still in sessions/");
    assertTrue(Files.exists(dir.resolve("2.json")));
  }

  @Test
  void savesOfOneOrgAskedAtOnceAllCompleteAndTheLastOneStays(Vertx vertx) throws Exception {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    List<Future<Void>> saves = new java.util.ArrayList<>();
    for (long seq = 1; seq <= 50; seq++) {
      saves.add(store.save(new SessionRecord("2", SessionState.STARTING, null, null, null, null,
          null, true, seq)));
      saves.add(store.save(new SessionRecord("3", SessionState.STOPPED, null, null, null, null,
          null, false, seq)));
    }
    await(Future.all(saves));

    List<SessionRecord> loaded = loadAllAndClose(vertx);
    await(store.close());
    assertEquals(List.of(50L, 50L), loaded.stream().map(SessionRecord::seq).toList());
  }

  @Test
  void aBadOrgIdNeverBecomesAPath(Vertx vertx) {
    FileSessionRecordStore store = new FileSessionRecordStore(vertx, dataDir);
    assertThrows(IllegalArgumentException.class, () -> store.save(new SessionRecord("../x",
        SessionState.STOPPED, null, null, null, null, null, false, 0)));
    assertThrows(IllegalArgumentException.class, () -> store.delete(".."));
  }

  /** What a new store (the next start) loads, by org. */
  private List<SessionRecord> loadAllAndClose(Vertx vertx) throws Exception {
    FileSessionRecordStore next = new FileSessionRecordStore(vertx, dataDir);
    try {
      return await(next.loadAll()).stream().sorted(Comparator.comparing(SessionRecord::org))
          .toList();
    } finally {
      await(next.close());
    }
  }

  private boolean hasLogSegments() throws Exception {
    Path log = dataDir.resolve(FileSessionRecordStore.LOG_FOLDER);
    try (var files = Files.list(log)) {
      return files.findAny().isPresent();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
