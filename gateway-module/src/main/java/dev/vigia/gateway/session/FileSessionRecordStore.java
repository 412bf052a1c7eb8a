package dev.vigia.gateway.session;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Session records as {@code <dataDir>/sessions/<org>.json}, each written atomically. */
public final class FileSessionRecordStore implements SessionRecordStore {

  public static final String FOLDER = "sessions";
  private static final String SUFFIX = ".json";
  private static final Logger LOG = LoggerFactory.getLogger(FileSessionRecordStore.class);

  private final Vertx vertx;
  private final Path dir;

  public FileSessionRecordStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dir = dataDir.resolve(FOLDER);
  }

  @Override
  public Future<List<SessionRecord>> loadAll() {
    return vertx.executeBlocking(() -> {
      List<SessionRecord> records = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        return records;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          if (AtomicFiles.isTemp(file) || !name.endsWith(SUFFIX)) {
            continue;
          }
          String org = name.substring(0, name.length() - SUFFIX.length());
          if (!OrgId.isValid(org)) {
            continue;
          }
          try {
            SessionRecord record = Json.mapper().readValue(Files.readAllBytes(file),
                SessionRecord.class);
            if (org.equals(record.org())) {
              records.add(record);
            }
          } catch (IOException e) {
            // one unreadable record must not keep the other orgs from starting
            LOG.warn("skipping unreadable session record {}: {}", file, e.getMessage());
          }
        }
      }
      return records;
    });
  }

  @Override
  public Future<Void> save(SessionRecord record) {
    Path file = dir.resolve(OrgId.require(record.org()) + SUFFIX);
    return vertx.executeBlocking(() -> {
      AtomicFiles.write(file, Json.mapper().writeValueAsBytes(record));
      return null;
    });
  }

  @Override
  public Future<Void> delete(String org) {
    Path file = dir.resolve(OrgId.require(org) + SUFFIX);
    return vertx.executeBlocking(() -> {
      if (Files.deleteIfExists(file)) {
        AtomicFiles.fsyncDirectory(dir);
      }
      return null;
    });
  }
}
