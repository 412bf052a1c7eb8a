package dev.vigia.common.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a test main class, so a test can kill a process for real
 * ({@code kill -9}); shared by the stores' crash tests of every module (common's test-jar).
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Thread reader;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    this.reader = new Thread(this::drain, "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code main} with this JVM's class path. */
  public static ChildJvm start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // a short-lived child: start fast
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /**
   * Waits for a line that starts with one of {@code markers} and returns it; fails when the child
   * ends or time runs out first.
   */
  public String awaitLine(Duration timeout, String... markers) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(50, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        for (String marker : markers) {
          if (line.startsWith(marker)) {
            return line;
          }
        }
      } else if (!process.isAlive() && lines.isEmpty()) {
        throw new AssertionError("the child ended (" + process.exitValue() + ") before "
            + List.of(markers) + "; its last output: " + tail());
      }
    }
    throw new AssertionError("no " + List.of(markers) + " from the child in " + timeout + "; "
        + tail());
  }

  /**
   * Kills the child as a crash or power cut would (SIGKILL: no shutdown hooks, no finally
   * blocks), then returns every line it printed that no {@link #awaitLine} read yet.
   */
  public List<String> kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("the child did not die");
    }
    reader.join(5_000); // what the dead child wrote last is read to its end
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    seen.addAll(rest);
    return rest;
  }

  /** Whether the child printed a line starting with {@code marker} (so far). */
  public boolean printed(String marker) {
    lines.drainTo(seen);
    return seen.stream().anyMatch(line -> line.startsWith(marker));
  }

  /** The child's process id (for signals such as SIGSTOP). */
  public long pid() {
    return process.pid();
  }

  /**
   * The number on the last line starting with {@code prefix} (e.g. the last {@code ACK n}); after
   * {@link #kill()}, every line the child printed counts.
   */
  public int lastNumberAfter(String prefix) {
    lines.drainTo(seen);
    int last = -1;
    for (String line : seen) {
      if (line.startsWith(prefix)) {
        last = Integer.parseInt(line.substring(prefix.length()).trim());
      }
    }
    return last;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private String tail() {
    lines.drainTo(seen);
    return String.join("\n", seen.subList(Math.max(0, seen.size() - 15), seen.size()));
  }

  private void drain() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (!line.contains(" DEBUG ")) {
          lines.add(line);
        }
      }
    } catch (IOException ended) {
      // the child died: nothing more to read
    }
  }
}
