package dev.vigia.common.pg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of the machine's own binaries ({@code initdb}, {@code pg_ctl}):
 * a new cluster in a temp folder, listening on 127.0.0.1 on a free port (its socket in the temp
 * folder too), with password (SCRAM) logins like a real server, and fsync off (a test server
 * need not survive a power cut). As root (CI), it runs as the {@code postgres} user, since
 * PostgreSQL refuses to run as root. {@link #close()} stops it and deletes the folder.
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String USER = "vigia";

  private final Path dir;
  private final Path bin;
  private final String runAs;
  private final String password = "pw-" + UUID.randomUUID();
  private final boolean durable;
  private int port;

  private LocalPostgres(Path dir, Path bin, String runAs, boolean durable) {
    this.dir = dir;
    this.bin = bin;
    this.runAs = runAs;
    this.durable = durable;
  }

  /** Creates and starts a server for tests (fsync off); takes a second or two. */
  public static LocalPostgres start() throws IOException, InterruptedException {
    return start(false);
  }

  /**
   * As {@link #start()}; {@code durable}: with PostgreSQL's defaults (fsync, synchronous commit),
   * so that a benchmark compares it fairly with a store that fsyncs every write.
   */
  public static LocalPostgres start(boolean durable) throws IOException, InterruptedException {
    Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(
        "no PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin or"
            + " on the PATH: install them (Debian: apt-get install postgresql; .ci/run does) or"
            + " set " + TestPostgres.URL_VARIABLE + " to a server where its user may create"
            + " databases"));
    String runAs = isRoot() ? serviceUser() : null;
    Path dir = Files.createTempDirectory("vigia-pg-");
    LocalPostgres server = new LocalPostgres(dir, bin, runAs, durable);
    try {
      server.init();
      server.startOnFreePort();
      return server;
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  public PgSettings admin() {
    return new PgSettings("127.0.0.1", port, "postgres", USER, password);
  }

  /** Stops the server (fast shutdown), keeping its data: {@link #restart()} brings it back. */
  public void stop() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w",
        "stop"), 60);
  }

  /** Starts a stopped server again on the same port. */
  public void restart() throws IOException, InterruptedException {
    startOn(port);
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m",
            "immediate", "-w", "stop"), 60);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e);
    }
    deleteTree(dir);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void init() throws IOException, InterruptedException {
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (runAs != null) {
      UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(runAs);
      Files.setOwner(dir, owner);
      Files.setOwner(pwfile, owner);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", USER,
        "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--auth-local=trust",
        "--auth-host=scram-sha-256", "-N"), 120);
    Files.delete(pwfile);
  }

  private void startOnFreePort() throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        startOn(freePort());
        return;
      } catch (IOException e) {
        last = e; // the port was taken between the probe and the start: another one
      }
    }
    throw last;
  }

  private void startOn(int candidate) throws IOException, InterruptedException {
    String options = "-c port=" + candidate + " -c listen_addresses=127.0.0.1"
        + " -c unix_socket_directories=" + dir + " -c max_connections=200"
        + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", options, "start"), 90);
    port = candidate;
  }

  private void run(List<String> command, int seconds) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (runAs != null) {
      full.addAll(List.of("runuser", "-u", runAs, "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("vigia-pg-cmd", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(out.toFile()).directory(dir.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish in " + seconds + " s");
      }
      if (p.exitValue() != 0) {
        Path log = dir.resolve("server.log");
        String serverLog = Files.isReadable(log) ? tail(Files.readString(log)) : "";
        throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit "
            + p.exitValue() + "): " + tail(Files.readString(out)) + serverLog);
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }

  static Optional<Path> findBinaries() throws IOException {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparingInt(LocalPostgres::majorVersion));
        if (newest.isPresent()) {
          return newest;
        }
      }
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry);
      if (Files.isExecutable(candidate.resolve("initdb")) && Files.isExecutable(candidate.resolve("pg_ctl"))) {
        return Optional.of(candidate.resolve("pg_ctl").toRealPath().getParent());
      }
    }
    return Optional.empty();
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** PostgreSQL's own account when the package made one, else nobody. */
  private static String serviceUser() {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      return "postgres";
    } catch (IOException e) {
      return "nobody";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left for the system's temp cleaning
        }
      });
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }
}
