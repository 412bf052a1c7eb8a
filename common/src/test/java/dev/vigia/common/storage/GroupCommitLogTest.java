package dev.vigia.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitLogTest {

  @TempDir
  Path dir;

  private final List<StorageThreads> threads = new ArrayList<>();

  @AfterEach
  void closeThreads() {
    threads.forEach(StorageThreads::close);
  }

  @Test
  void appendsWaitingTogetherShareOneSync() throws Exception {
    GroupCommitLog<String> log = open(List.of());
    AtomicInteger syncs = new AtomicInteger();
    log.beforeSyncForTests(syncs::incrementAndGet);
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      appends.add(log.append("entry " + i));
    }
    log.start(); // all 500 wait: one group, one sync
    await(Future.all(appends));
    assertEquals(1, syncs.get());
    log.close();

    List<String> recovered = new ArrayList<>();
    open(recovered);
    assertEquals(500, recovered.size());
    assertEquals("entry 499", recovered.get(499));
  }

  @Test
  void aTornLastEntryIsIgnoredAndTheEntriesBeforeItAreRead() throws Exception {
    GroupCommitLog<String> log = open(List.of());
    log.start();
    for (int i = 0; i < 5; i++) {
      await(log.append("entry " + i));
    }
    log.close();
    LogSegments.tearLastEntry(dir);

    List<String> recovered = new ArrayList<>();
    GroupCommitLog<String> next = open(recovered);
    assertEquals(List.of("entry 0", "entry 1", "entry 2", "entry 3"), recovered);
    next.start();
    await(next.append("entry 5")); // a new segment: the torn one is never written after
    next.close();
    List<String> again = new ArrayList<>();
    open(again);
    assertEquals(List.of("entry 0", "entry 1", "entry 2", "entry 3", "entry 5"), again);
  }

  @Test
  void anEntryTheCodecRefusesFailsAloneAndTheOthersAreWritten() throws Exception {
    GroupCommitLog<String> log = open(List.of());
    Future<Void> bad = log.append("refuse me");
    Future<Void> good = log.append("entry 1");
    log.start();
    await(good);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(bad));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    log.close();
    List<String> recovered = new ArrayList<>();
    open(recovered);
    assertEquals(List.of("entry 1"), recovered);
  }

  @Test
  void retiredSegmentsAreNotReadAgain() throws Exception {
    GroupCommitLog<String> log = open(List.of());
    log.start();
    await(log.append("old"));
    long upTo = log.seal();
    await(log.append("new"));
    log.retire(upTo);
    log.close();
    List<String> recovered = new ArrayList<>();
    open(recovered);
    assertEquals(List.of("new"), recovered);
    assertTrue(upTo > 0);
  }

  /** A log on {@link #dir} with what earlier logs left added to {@code recovered}. */
  private GroupCommitLog<String> open(List<String> recovered) throws Exception {
    StorageThreads thread = new StorageThreads("test-log", 1);
    threads.add(thread);
    GroupCommitLog<String> log = new GroupCommitLog<>(dir, "test", 1 << 16, thread,
        new GroupCommitLog.Codec<>() {
          @Override
          public byte[] encode(String entry) {
            if (entry.startsWith("refuse")) {
              throw new IllegalArgumentException("refused");
            }
            return entry.getBytes(StandardCharsets.UTF_8);
          }

          @Override
          public String decode(byte[] bytes, int offset, int length) {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
          }
        }, (entry, segment) -> { });
    for (GroupCommitLog.Recovered<String> r : log.recover()) {
      recovered.add(r.entry());
    }
    return log;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
