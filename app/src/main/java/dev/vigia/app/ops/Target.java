package dev.vigia.app.ops;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.storage.DataDirLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command gets its answers, said in one line before anything else: the running server
 * ({@code --server}, or the one holding the data dir's lock, found through {@code server.json}),
 * with an admin token ({@code VIGIA_TOKEN} or {@code --token-file}); or, when no server runs, the
 * data dir itself, whose lock the command then holds so no server starts meanwhile.
 */
final class Target implements AutoCloseable {

  /** The environment variable that holds the admin token. */
  static final String TOKEN_ENV = "VIGIA_TOKEN";

  private final ServerApi server;
  private final DataDirLock lock;
  private final VigiaConfig config;

  private Target(ServerApi server, DataDirLock lock, VigiaConfig config) {
    this.server = server;
    this.lock = lock;
    this.config = config;
  }

  /**
   * @param serverUrl {@code --server}, or null
   * @param token the admin token, or null
   * @param say where the "which" line goes (standard error: standard output may be JSON)
   */
  static Target find(VigiaConfig config, String serverUrl, String token, PrintStream say) {
    return find(config, serverUrl, token, say, true);
  }

  /** As {@link #find}, for {@code user token}: a server is reached with a login, not a token. */
  static Target findForLogin(VigiaConfig config, String serverUrl, PrintStream say) {
    return find(config, serverUrl, null, say, false);
  }

  private static Target find(VigiaConfig config, String serverUrl, String token, PrintStream say,
      boolean needsToken) {
    if (serverUrl != null) {
      return toServer(config, serverUrl, token, say, needsToken);
    }
    Path data = config.dataPath();
    if (!Files.isDirectory(data)) {
      throw new OpsException("there is no data dir at " + data.toAbsolutePath() + " (and no"
          + " --server): set VIGIA_DATA_DIR, or --config, to the one Vigía uses");
    }
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(data);
    } catch (IllegalStateException busy) {
      // a server holds the lock: ask it
      String url = dev.vigia.app.ServerFile.url(data).orElse(
          "http://" + hostOf(config) + ":" + config.httpPort());
      return toServer(config, url, token, say, needsToken);
    } catch (IOException e) {
      throw new OpsException("cannot open the data dir " + data.toAbsolutePath() + ": "
          + e.getMessage());
    }
    say.println("vigia: no server is running on " + data.toAbsolutePath()
        + "; reading the data dir");
    return new Target(null, lock, config);
  }

  private static Target toServer(VigiaConfig config, String url, String token, PrintStream say,
      boolean needsToken) {
    if (!needsToken) {
      say.println("vigia: talking to the running server at " + url + " (logging in)");
      return new Target(new ServerApi(url, null), null, config);
    }
    if (token == null || token.isBlank()) {
      throw new OpsException("a Vigía server answers at " + url + ": give an admin token in "
          + TOKEN_ENV + " (or --token-file); make one with: vigia user token <admin-name>");
    }
    say.println("vigia: talking to the running server at " + url + " (admin token)");
    return new Target(new ServerApi(url, token.trim()), null, config);
  }

  private static String hostOf(VigiaConfig config) {
    String host = config.httpHost();
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  boolean isServer() {
    return server != null;
  }

  ServerApi server() {
    return server;
  }

  VigiaConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        // the process ends right after; the OS releases the lock then
      }
    }
  }
}
