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
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the Node.js bridge ({@code engine.mjs}): has it installed ({@link BaileysInstall}),
 * starts {@code node}, and starts it again with backoff when it dies. Lines from Node arrive as JSON on {@code onMessage};
 * {@code onStopped} runs after each death. Both run on the supervisor's context. The install
 * ({@code npm ci}, up to 300 s) and the process start run on their own worker executor.
 */
final class BaileysProcess {

  private static final Logger LOG = LoggerFactory.getLogger(BaileysProcess.class);
  /** Node's stderr: Baileys' log messages (text only, never keys). */
  private static final Logger NODE_LOG = LoggerFactory.getLogger("dev.vigia.gateway.engine.baileys.node");
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
  private final BaileysInstall install;

  private volatile boolean installed;
  private boolean stopping;
  private int failures;
  private volatile Process process;
  private volatile OutputStream stdin;
  private long startedAt;
  private Promise<Void> running = Promise.promise();
  /** The process an operator's restart is replacing: its exit starts the next one at once. */
  private Process replacing;
  /** The backoff timer of the next start, or -1. */
  private long nextStart = -1;
  /** Cluster mode: Node closes every WhatsApp socket when this JVM is silent this long (0: off). */
  private volatile long watchdogMillis;
  private long pinger = -1;

  BaileysProcess(Vertx vertx, Path workDir, String node, String wsUrl,
      Consumer<JsonObject> onMessage, Runnable onStopped) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.workDir = workDir;
    this.node = node;
    this.wsUrl = wsUrl;
    this.onMessage = onMessage;
    this.onStopped = onStopped;
    this.install = new BaileysInstall(workDir, node);
    // two threads: a stop must not wait behind an install; a slow npm ci is expected there
    this.installer = vertx.createSharedWorkerExecutor(INSTALL_EXECUTOR, 2,
        2 * BaileysInstall.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigia-baileys-stdin");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Cluster mode: this JVM pings Node five times per {@code silenceMillis}, and Node closes every
   * WhatsApp socket when no line came for that long (this JVM frozen: its leases end, another
   * node logs the devices in, and WhatsApp must not see the old sockets still open). Call before
   * {@link #start()}'s process is ready.
   */
  void watchdog(long silenceMillis) {
    watchdogMillis = silenceMillis;
    context.runOnContext(v -> pinger = vertx.setPeriodic(Math.max(50, silenceMillis / 5),
        id -> sendLine(PING)));
  }

  private static final String PING = "{\"op\":\"ping\"}";

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

  /** Whether a process is there to read what is sent (none before its start or after it died). */
  boolean attached() {
    return stdin != null;
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

  /**
   * An operator's restart: stops the running process (its stdin closes, then it is killed after
   * 3 s) and starts a new one at once, with no backoff; between two attempts, starts now. Waiters
   * of {@link #running()} from now on wait for the new process. Completes when it is ready.
   */
  Future<Void> restart() {
    Promise<Void> ready = Promise.promise();
    context.runOnContext(v -> {
      if (stopping) {
        ready.fail(new IllegalStateException("the Baileys engine is stopping"));
        return;
      }
      failures = 0;
      Promise<Void> old = running;
      running = Promise.promise();
      running.future().onComplete(ready);
      old.tryFail(new IllegalStateException("the Baileys engine is restarting"));
      Process p = process;
      if (p != null) {
        LOG.info("Baileys engine process {}: restart requested; stopping it", p.pid());
        replacing = p;
        OutputStream out = stdin;
        Thread stopper = new Thread(() -> end(p, out), "vigia-baileys-restart");
        stopper.setDaemon(true);
        stopper.start();
      } else if (nextStart >= 0) {
        vertx.cancelTimer(nextStart);
        nextStart = -1;
        launch();
      }
      // else a start is under way: it completes the new promise
    });
    return ready.future();
  }

  /** Node exits when its stdin closes; one that does not within 3 s is killed. */
  private static void end(Process p, OutputStream out) {
    try {
      if (out != null) {
        try {
          out.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      vertx.cancelTimer(pinger);
      Process p = process;
      OutputStream out = stdin;
      running.tryFail(new IllegalStateException("the Baileys engine is stopping"));
      // its own thread, not a Vert.x worker: while Vert.x closes, its executors may already be
      // gone, and a stop that could not run would hold the whole shutdown
      Thread stopper = new Thread(() -> {
        try {
          writer.shutdown();
          if (p != null) {
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
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (p != null) {
            p.destroyForcibly();
          }
        } finally {
          closeInstaller().onComplete(ignored -> done.tryComplete());
        }
      }, "vigia-baileys-stop");
      stopper.setDaemon(true);
      stopper.start();
    });
    return done.future();
  }

  private Future<Void> closeInstaller() {
    try {
      return installer.close().recover(e -> Future.succeededFuture());
    } catch (RuntimeException e) {
      return Future.succeededFuture(); // Vert.x closed it already
    }
  }

  private void launch() {
    if (stopping) {
      return;
    }
    Promise<Void> current = running;
    installer.executeBlocking(() -> {
      if (!installed) {
        install.run();
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
        if (watchdogMillis > 0) {
          send(new JsonObject().put("op", "watchdog").put("silenceMs", watchdogMillis));
        }
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
      if (p == replacing) {
        // an operator's restart: the waiters of running() wait for the next process, started now
        replacing = null;
        onStopped.run();
        LOG.info("Baileys engine process {} stopped for a restart; starting a new one", p.pid());
        launch();
        return;
      }
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
    nextStart = vertx.setTimer(delay, id -> {
      nextStart = -1;
      launch();
    });
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
}
