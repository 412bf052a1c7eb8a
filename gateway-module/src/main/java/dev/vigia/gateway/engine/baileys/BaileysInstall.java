package dev.vigia.gateway.engine.baileys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the Node bridge in its working folder: extracts {@code engine.mjs} with its pinned package
 * files, checks Node's version, and runs {@code npm ci} when the lock changed. Blocking (up to
 * {@link #TIMEOUT_SECONDS}): run it on a worker executor of its own, never on an event loop.
 */
final class BaileysInstall {

  private static final Logger LOG = LoggerFactory.getLogger(BaileysInstall.class);
  private static final String RESOURCES = "/dev/vigia/gateway/engine/baileys/";
  static final List<String> FILES = List.of("engine.mjs", "package.json", "package-lock.json");
  private static final String INSTALLED_MARK = "node_modules/.vigia-installed";
  static final long TIMEOUT_SECONDS = 300;

  private final Path workDir;
  private final String node;

  BaileysInstall(Path workDir, String node) {
    this.workDir = workDir;
    this.node = node;
  }

  /** Extracts the bridge, checks Node's version, runs {@code npm ci} when the lock changed. */
  void run() throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    for (String file : FILES) {
      byte[] bytes = resource(file);
      Path target = workDir.resolve(file);
      if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
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
    exec(List.of(npm(), "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"),
        TIMEOUT_SECONDS, "npm ci");
    Files.writeString(mark, wanted);
    LOG.info("Baileys installed in {} s", (System.nanoTime() - t0) / 1_000_000_000);
  }

  private void checkNodeVersion() throws IOException, InterruptedException {
    String version = exec(List.of(node, "--version"), 30, "node --version").trim();
    Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version);
    if (!m.lookingAt() || Integer.parseInt(m.group(1)) < 20) {
      throw new IOException("VIGIA_NODE=" + node + " is Node " + version
          + "; the Baileys engine needs Node 20 or newer: install it, or set VIGIA_NODE to one");
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

  private String exec(List<String> command, long timeoutSeconds, String what)
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
    try (InputStream in = BaileysInstall.class.getResourceAsStream(RESOURCES + name)) {
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
