package dev.vigia.gateway.session;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session records as {@code <dataDir>/sessions/<org>.json}, each written atomically. Writes of
 * one org apply in the order they were asked (a waiting save takes a newer record); orgs are
 * written side by side on the records' own worker executor (two fsyncs each must not queue
 * behind password hashing, nor behind each other when thousands of sessions restore at once).
 */
public final class FileSessionRecordStore implements SessionRecordStore {

  public static final String FOLDER = "sessions";
  private static final String SUFFIX = ".json";
  private static final String EXECUTOR = "vigia-session-records";
  private static final int THREADS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(FileSessionRecordStore.class);

  private final Path dir;
  private final WorkerExecutor workers;
  private final KeyedQueue queue = new KeyedQueue();
  private final ConcurrentMap<String, Waiting> waitingSaves = new ConcurrentHashMap<>();

  public FileSessionRecordStore(Vertx vertx, Path dataDir) {
    this.dir = dataDir.resolve(FOLDER);
    this.workers = vertx.createSharedWorkerExecutor(EXECUTOR, THREADS);
  }

  /** Sweeps the temp files a crash left (issue 7), then reads every record. */
  @Override
  public Future<List<SessionRecord>> loadAll() {
    return workers.executeBlocking(() -> {
      List<SessionRecord> records = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        return records;
      }
      int swept = AtomicFiles.sweepTemps(dir);
      if (swept > 0) {
        LOG.info("removed {} unfinished session record write(s) a stop left in {}", swept, dir);
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          SessionRecord record = read(file);
          if (record != null) {
            records.add(record);
          }
        }
      }
      return records;
    }, false);
  }

  private static SessionRecord read(Path file) {
    String name = file.getFileName().toString();
    if (AtomicFiles.isTemp(file) || !name.endsWith(SUFFIX)) {
      return null;
    }
    String org = name.substring(0, name.length() - SUFFIX.length());
    if (!OrgId.isValid(org)) {
      return null;
    }
    try {
      SessionRecord record = Json.mapper().readValue(Files.readAllBytes(file),
          SessionRecord.class);
      return org.equals(record.org()) ? record : null;
    } catch (IOException e) {
      // one unreadable record must not keep the other orgs from starting
      LOG.warn("skipping unreadable session record {}: {}", file, e.getMessage());
      return null;
    }
  }

  /**
   * Saves behind the org's earlier saves; a save still waiting for its turn takes the newer
   * record instead of queueing a second write (a restore's STARTING then CONNECTED is one write).
   * Completes once a record at least as new as {@code record} is on disk.
   */
  @Override
  public Future<Void> save(SessionRecord record) {
    String org = OrgId.require(record.org());
    Path file = dir.resolve(org + SUFFIX);
    Waiting[] created = new Waiting[1];
    Waiting waiting = waitingSaves.compute(org, (k, queued) -> {
      if (queued != null) {
        queued.record = record;
        return queued;
      }
      created[0] = new Waiting(record);
      return created[0];
    });
    if (created[0] != null) {
      queue.run(org, () -> workers.<Void>executeBlocking(() -> {
        // writing starts: from now on a newer record queues a write of its own
        waitingSaves.remove(org, waiting);
        AtomicFiles.write(file, Json.mapper().writeValueAsBytes(waiting.record));
        return null;
      }, false)).onComplete(waiting.written);
    }
    return waiting.written.future();
  }

  /** A save queued and not started yet: the newest record of the org, and its outcome. */
  private static final class Waiting {
    volatile SessionRecord record;
    final Promise<Void> written = Promise.promise();

    Waiting(SessionRecord record) {
      this.record = record;
    }
  }

  @Override
  public Future<Void> delete(String org) {
    Path file = dir.resolve(OrgId.require(org) + SUFFIX);
    return queue.run(org, () -> workers.executeBlocking(() -> {
      if (Files.deleteIfExists(file)) {
        AtomicFiles.fsyncDirectory(dir);
      }
      return null;
    }, false));
  }
}
