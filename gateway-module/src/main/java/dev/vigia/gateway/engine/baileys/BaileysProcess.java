package dev.vigia.gateway.engine.baileys;

import dev.vigia.common.logging.Masked;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the Node.js bridge ({@code engine.mjs}): extracts it with its pinned package files
 * into the working folder, runs {@code npm ci} when the lock changed, starts {@code node}, and
 * starts it again with backoff when it dies. Lines from Node arrive as JSON on {@code onMessage};
 * {@code onStopped} runs after each death. Both run on the supervisor's context. The install
 * ({@code npm ci}, up to 300 s) and the process start run on their own worker executor.
 */
final class BaileysProcess {

  private static final Logger LOG = LoggerFactory.getLogger(BaileysProcess.class);
  /** Node's stderr: Baileys' log messages (text only, never keys). */
  private static final Logger NODE_LOG = LoggerFactory.getLogger("dev.vigia.gateway.engine.baileys.node");
  private static final String RESOURCES = "/dev/vigia/gateway/engine/baileys/";
  static final List<String> FILES = List.of("engine.mjs", "package.json", "package-lock.json");
  private static final String INSTALLED_MARK = "node_modules/.vigia-installed";
  private static final long INSTALL_TIMEOUT_SECONDS = 300;
  /** Install and process start/stop run here, never on the pool that hashes passwords. */
  private static final String INSTALL_EXECUTOR = "vigia-engine-install";
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;
  /** A process that lived this long was healthy: the next death starts the backoff afresh. */
  private static final long STABLE_MS = 60_000;

  private final Vertx vertx;
  private final Context context;
  private final Path workDir;
  private final String node;
  private final String wsUrl;
  private final Consumer<JsonObject> onMessage;
  private final Runnable onStopped;
  private final ExecutorService writer;
  private final WorkerExecutor installer;

  private volatile boolean installed;
  private boolean stopping;
  private int failures;
  private volatile Process process;
  private volatile OutputStream stdin;
  private long startedAt;
  private Promise<Void> running = Promise.promise();

  BaileysProcess(Vertx vertx, Path workDir, String node, String wsUrl,
      Consumer<JsonObject> onMessage, Runnable onStopped) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.workDir = workDir;
    this.node = node;
    this.wsUrl = wsUrl;
    this.onMessage = onMessage;
    this.onStopped = onStopped;
    // two threads: a stop must not wait behind an install; a slow npm ci is expected there
    this.installer = vertx.createSharedWorkerExecutor(INSTALL_EXECUTOR, 2,
        2 * INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigia-baileys-stdin");
      t.setDaemon(true);
      return t;
    });
  }

  /** Installs (if needed) and starts the process; see {@link #running()}. */
  void start() {
    context.runOnContext(v -> launch());
  }

  /** Succeeds once the current process said it is ready; fails if it cannot be installed. */
  Future<Void> running() {
    return running.future();
  }

  /** The live process, for tests and diagnostics. */
  Optional<ProcessHandle> handle() {
    Process p = process;
    return p == null || !p.isAlive() ? Optional.empty() : Optional.of(p.toHandle());
  }

  void send(JsonObject message) {
    sendLine(message.encode());
  }

  /** Writes one line as is (tests use it to send bad input). */
  void sendLine(String line) {
    OutputStream out = stdin;
    if (out == null) {
      return;
    }
    try {
      writer.execute(() -> {
        try {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          LOG.debug("could not write to the Baileys process: {}", e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // stopping: the process is going away with everything it was told
      LOG.debug("the Baileys engine is stopping; a message to it was dropped");
    }
  }

  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      Process p = process;
      OutputStream out = stdin;
      running.tryFail(new IllegalStateException("the Baileys engine is stopping"));
      if (p == null) {
        writer.shutdown();
        installer.close().onComplete(ignored -> done.complete());
        return;
      }
      installer.executeBlocking(() -> {
        writer.shutdown();
        writer.awaitTermination(2, TimeUnit.SECONDS);
        try {
          out.close(); // Node exits when its stdin closes
        } catch (IOException ignored) {
          // already gone
        }
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(3, TimeUnit.SECONDS);
        }
        return null;
      }, false).<Void>mapEmpty().eventually(installer::close).onComplete(done);
    });
    return done.future();
  }

  private void launch() {
    if (stopping) {
      return;
    }
    Promise<Void> current = running;
    installer.executeBlocking(() -> {
      if (!installed) {
        install();
        installed = true;
      }
      return startNode();
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("the Baileys engine could not start: {}", ar.cause().getMessage());
        current.tryFail(ar.cause());
        restartLater();
        return;
      }
      Process p = ar.result();
      if (stopping) {
        p.destroyForcibly();
        return;
      }
      process = p;
      stdin = p.getOutputStream();
      startedAt = System.currentTimeMillis();
      LOG.info("Baileys engine process {} started", p.pid());
      reader("vigia-baileys-stdout", p.getInputStream(), this::onLine, () -> exited(p));
      reader("vigia-baileys-stderr", p.getErrorStream(),
          line -> NODE_LOG.debug("{}", Masked.in(line)), () -> { });
    });
  }

  private void reader(String name, InputStream in, Consumer<String> onLine, Runnable atEnd) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        LOG.debug("{} ended: {}", name, e.getMessage());
      }
      atEnd.run();
    }, name);
    t.setDaemon(true);
    t.start();
  }

  private void onLine(String line) {
    JsonObject message;
    try {
      message = new JsonObject(line);
    } catch (DecodeException e) {
      LOG.debug("ignored a line from the Baileys process that is not JSON");
      return;
    }
    context.runOnContext(v -> {
      if ("ready".equals(message.getString("op"))) {
        failures = 0;
        running.tryComplete();
      } else {
        onMessage.accept(message);
      }
    });
  }

  private void exited(Process p) {
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.runOnContext(v -> {
      if (process != p) {
        return;
      }
      process = null;
      stdin = null;
      String status = p.isAlive() ? "closed its output" : "exited with " + p.exitValue();
      Promise<Void> dead = running;
      running = Promise.promise();
      dead.tryFail(new IllegalStateException("the Baileys process " + status));
      onStopped.run();
      if (stopping) {
        return;
      }
      LOG.warn("Baileys engine process {} {}; restarting", p.pid(), status);
      if (System.currentTimeMillis() - startedAt > STABLE_MS) {
        failures = 0;
      }
      restartLater();
    });
  }

  private void restartLater() {
    if (stopping) {
      return;
    }
    if (running.future().isComplete()) {
      running = Promise.promise();
    }
    long delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 10));
    failures++;
    vertx.setTimer(delay, id -> launch());
  }

  // ---- blocking work (worker threads) ----

  private Process startNode() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(node, "engine.mjs").directory(workDir.toFile());
    // Node needs none of Vigía's settings, some of which are secrets (passwords, tokens)
    pb.environment().keySet().removeIf(k -> k.startsWith("VIGIA_"));
    if (wsUrl == null) {
      pb.environment().remove("VIGIA_BAILEYS_WS_URL");
    } else {
      pb.environment().put("VIGIA_BAILEYS_WS_URL", wsUrl);
    }
    return pb.start();
  }

  /** Extracts the bridge, checks Node's version, runs {@code npm ci} when the lock changed. */
  void install() throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    for (String file : FILES) {
      byte[] bytes = resource(file);
      Path target = workDir.resolve(file);
      if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
        Files.write(target, bytes);
      }
    }
    checkNodeVersion();
    String wanted = sha256(resource("package.json"), resource("package-lock.json"));
    Path mark = workDir.resolve(INSTALLED_MARK);
    if (Files.exists(mark) && Files.readString(mark).trim().equals(wanted)) {
      return;
    }
    LOG.info("installing the pinned Baileys package in {} (npm ci)", workDir);
    long t0 = System.nanoTime();
    run(List.of(npm(), "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"),
        INSTALL_TIMEOUT_SECONDS, "npm ci");
    Files.writeString(mark, wanted);
    LOG.info("Baileys installed in {} s", (System.nanoTime() - t0) / 1_000_000_000);
  }

  private void checkNodeVersion() throws IOException, InterruptedException {
    String version = run(List.of(node, "--version"), 30, "node --version").trim();
    Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version);
    if (!m.lookingAt() || Integer.parseInt(m.group(1)) < 20) {
      throw new IOException("VIGIA_NODE=" + node + " is Node " + version
          + "; the Baileys engine needs Node 20 or newer");
    }
  }

  /** npm beside the configured node when there is one, else the one on the PATH. */
  private String npm() {
    Path parent = Path.of(node).getParent();
    if (parent != null && Files.isExecutable(parent.resolve("npm"))) {
      return parent.resolve("npm").toString();
    }
    return "npm";
  }

  private String run(List<String> command, long timeoutSeconds, String what)
      throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(what + ": cannot run " + command.get(0) + " (" + e.getMessage()
          + "); install Node.js 20+ and npm, or set VIGIA_NODE", e);
    }
    p.getOutputStream().close();
    List<String> output = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          LOG.debug("{}: {}", what, line);
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "vigia-baileys-install");
    drain.setDaemon(true);
    drain.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(what + " did not finish within " + timeoutSeconds + " s");
    }
    drain.join(5_000);
    String text;
    synchronized (output) {
      text = String.join("\n", output);
    }
    if (p.exitValue() != 0) {
      String tail = text.length() > 600 ? text.substring(text.length() - 600) : text;
      throw new IOException(what + " failed with exit code " + p.exitValue() + ": " + tail);
    }
    return text;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = BaileysProcess.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("missing resource " + RESOURCES + name);
      }
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        d.update(part);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
