package dev.vigia.monitor.stats;

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

/** Daily stats as {@code <dataDir>/stats/<org>.json}, written atomically on a worker. */
public final class StatsFiles {

  public static final String FOLDER = "stats";
  private static final String SUFFIX = ".json";
  private static final Logger LOG = LoggerFactory.getLogger(StatsFiles.class);

  private final Vertx vertx;
  private final Path dir;

  public StatsFiles(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dir = dataDir.resolve(FOLDER);
  }

  public Future<List<DailyStats.Snapshot>> loadAll() {
    return vertx.executeBlocking(() -> {
      List<DailyStats.Snapshot> out = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        return out;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          if (AtomicFiles.isTemp(file) || !name.endsWith(SUFFIX)
              || !OrgId.isValid(name.substring(0, name.length() - SUFFIX.length()))) {
            continue;
          }
          try {
            out.add(Json.mapper().readValue(Files.readAllBytes(file), DailyStats.Snapshot.class));
          } catch (IOException e) {
            // one unreadable file loses that org's history, not everyone's
            LOG.warn("skipping unreadable stats file {}: {}", file, e.getMessage());
          }
        }
      }
      return out;
    });
  }

  public Future<Void> save(List<DailyStats.Snapshot> snapshots) {
    return vertx.executeBlocking(() -> {
      for (DailyStats.Snapshot s : snapshots) {
        AtomicFiles.write(dir.resolve(OrgId.require(s.org()) + SUFFIX),
            Json.mapper().writeValueAsBytes(s));
      }
      return null;
    });
  }
}
