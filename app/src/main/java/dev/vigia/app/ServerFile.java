package dev.vigia.app;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.dashboard.account.OwnerOnly;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <dataDir>/server.json}: where the server that holds the data dir's lock answers, so the
 * command line ({@code vigia status}, {@code logs}, …) finds it whatever port it was given (also
 * port 0). Written once the server listens, removed when it stops; the lock, not this file, says
 * whether a server runs (a crash leaves the file behind, and the next start replaces it).
 */
public final class ServerFile {

  static final String NAME = "server.json";
  private static final Logger LOG = LoggerFactory.getLogger(ServerFile.class);

  private ServerFile() {}

  static void write(Vertx vertx, VigiaConfig config, int port) {
    String host = config.httpHost();
    // a server listening on every address is reached on this machine through loopback
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    byte[] json = new JsonObject().put("url", "http://" + host + ":" + port)
        .put("pid", ProcessHandle.current().pid()).encodePrettily()
        .getBytes(StandardCharsets.UTF_8);
    Path file = config.dataPath().resolve(NAME);
    vertx.executeBlocking(() -> {
      AtomicFiles.write(file, json);
      OwnerOnly.narrow(file, OwnerOnly.FILE);
      return null;
    }, false).onFailure(e -> LOG.warn("could not write {} (the command line then uses"
        + " VIGIA_HTTP_HOST and VIGIA_HTTP_PORT to find this server): {}", file, e.toString()));
  }

  /** The URL the server of {@code dataDir} wrote, if any. */
  public static Optional<String> url(Path dataDir) {
    try {
      JsonObject json = new JsonObject(Files.readString(dataDir.resolve(NAME)));
      return Optional.ofNullable(json.getString("url"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static void remove(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(NAME));
    } catch (IOException e) {
      LOG.debug("could not remove {}: {}", dataDir.resolve(NAME), e.toString());
    }
  }
}
