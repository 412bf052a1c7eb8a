package dev.vigia.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar ({@code app/target/vigia.jar}) run as a child process on 127.0.0.1, so what is
 * measured of it (heap, resident memory, CPU) is Vigía's alone and not the load generator's.
 * Its log goes to a file beside the data dir; nothing reads its stdout as it runs.
 */
final class VigiaProcess implements AutoCloseable {

  static final String PASSWORD = "bench-password-1234";
  private static final long CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

  private final Process process;
  private final int port;
  private final Path log;

  private VigiaProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * The jar to run: {@code -Dvigia.jar=<path>} (to measure another build in the same run), else
   * the repository's; fails with the build command when it is missing.
   */
  static Path jar() {
    Path jar = Path.of(System.getProperty("vigia.jar", "app/target/vigia.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run from the repository root after"
          + " ./mvnw -B -q -DskipTests package");
    }
    return jar;
  }

  /**
   * Starts Vigía with the simulated engine on {@code dataDir} and waits for {@code /health}.
   * {@code env} adds or overrides variables; {@code jvmArgs} go before {@code -jar}.
   */
  static VigiaProcess start(Path dataDir, Map<String, String> env, String... jvmArgs)
      throws Exception {
    int port = freePort();
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(javaCommand);
    command.addAll(List.of(jvmArgs));
    command.addAll(List.of("-jar", jar().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("VIGIA_"));
    Map<String, String> vars = new HashMap<>(Map.of(
        "VIGIA_HTTP_HOST", "127.0.0.1",
        "VIGIA_HTTP_PORT", String.valueOf(port),
        "VIGIA_DATA_DIR", dataDir.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", PASSWORD,
        // the simulated "phone" answers a scan at once, as a bench needs
        "VIGIA_SIM_RESTART_MS", "0"));
    vars.putAll(env);
    pb.environment().putAll(vars);
    VigiaProcess vigia = new VigiaProcess(pb.start(), port, log);
    Api api = new Api(vigia.base());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!vigia.process.isAlive()) {
        throw new IllegalStateException("Vigía exited with " + vigia.process.exitValue()
            + "; see " + log);
      }
      try {
        if (api.status("/health") == 200) {
          api.status("/api/me"); // liveness comes first; this waits for the API (a 401)
          return vigia;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        vigia.close();
        throw new IllegalStateException("no /health in 60 s; see " + log);
      }
      Thread.sleep(50);
    }
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Heap in use after a full GC, from {@code jcmd} (the JVM's own count, no agent). */
  long heapAfterGcBytes() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    // G1: " garbage-first heap   total 262144K, used 23456K [..."
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the heap from jcmd: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** Resident set size, from {@code /proc/<pid>/status}. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** CPU time (user + system) the process has used, from {@code /proc/<pid>/stat}. */
  long cpuNanos() throws IOException {
    return cpuNanos(pid());
  }

  static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    return ticks * (1_000_000_000L / CLOCK_TICKS);
  }

  String jcmd(String... what) throws Exception {
    List<String> command = new ArrayList<>(List.of("jcmd", String.valueOf(pid())));
    command.addAll(List.of(what));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", what) + " failed: " + out);
    }
    return out;
  }

  /** The machine's 1-minute load average, to print beside a result. */
  static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  /** SIGTERM (Vigía's shutdown hook stops it cleanly), SIGKILL after 60 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** How long a stop took, for the restart benches. */
  Duration stop() throws InterruptedException {
    long t0 = System.nanoTime();
    close();
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
