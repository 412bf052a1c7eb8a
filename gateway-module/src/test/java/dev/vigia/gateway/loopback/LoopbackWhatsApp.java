package dev.vigia.gateway.loopback;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback WhatsApp ({@code whatsapp-loopback/server}) run for a test: a WhatsApp Web server on
 * 127.0.0.1 that the unmodified Baileys links, logs in, sends and breaks against, and its control
 * API (a simulated phone: scan, type a code, send, read, break). Installs its Node dependencies
 * itself ({@code npm ci}, once per lock). Blocking calls: the test thread only, never an event loop.
 */
public final class LoopbackWhatsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackWhatsApp.class);
  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");
  private static final String MARK = "node_modules/.vigia-loopback-installed";
  /** Baileys waits this long for an answer in tests (60 s in production): a missing answer fails fast. */
  public static final String QUERY_TIMEOUT_MS = "5000";

  private final Process process;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private int port;
  private String rootPublicKey;

  private LoopbackWhatsApp(Process process) {
    this.process = process;
  }

  /** Installs the loopback's Node dependencies if needed and starts it on a free port. */
  public static LoopbackWhatsApp start() throws IOException, InterruptedException {
    Path dir = project();
    install(dir);
    LoopbackWhatsApp loopback = new LoopbackWhatsApp(
        new ProcessBuilder(NODE, "server/main.mjs").directory(dir.toFile()).start());
    loopback.listen();
    LOG.info("loopback WhatsApp on 127.0.0.1:{}", loopback.port);
    return loopback;
  }

  /** Keeps the server's log lines; waits for its first stdout line: {port, rootPublicKey}. */
  private void listen() throws IOException {
    Thread errors = new Thread(() -> drain(process.getErrorStream(), line -> {
      synchronized (lastLines) {
        lastLines.addLast(line);
        if (lastLines.size() > 300) {
          lastLines.removeFirst();
        }
      }
      LOG.debug("{}", line);
    }), "loopback-stderr");
    errors.setDaemon(true);
    errors.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try {
      line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IOException("the loopback WhatsApp did not start; its last words:\n" + lastLines());
    }
    JsonObject hello = new JsonObject(line);
    port = hello.getInteger("port");
    rootPublicKey = hello.getString("rootPublicKey");
  }

  /** Where Baileys dials it ({@code VIGIA_BAILEYS_WS_URL}). */
  public String url() {
    return "ws://127.0.0.1:" + port + "/ws/chat";
  }

  public int port() {
    return port;
  }

  public String rootPublicKey() {
    return rootPublicKey;
  }

  /**
   * A {@code VIGIA_NODE} for the engine that trusts this server's certificate root (the test-root
   * preload) and gives up on a missing answer after {@link #QUERY_TIMEOUT_MS}; {@code extraEnv}
   * adds the bridge's other test settings ({@code VIGIA_BAILEYS_KEEPALIVE_MS}, …).
   */
  public String nodeCommand(Path dir, Map<String, String> extraEnv) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOOPBACK_ROOT_PUBLIC_KEY", rootPublicKey);
    env.put("VIGIA_BAILEYS_QUERY_TIMEOUT_MS", QUERY_TIMEOUT_MS);
    env.putAll(extraEnv);
    return TestNode.command(dir, env, TestNode.preload("test-root.mjs"));
  }

  // ---- the phone and the network, on command ----

  /** A WhatsApp account (a phone number with its simulated phone): the org's own, or a contact. */
  public JsonObject account(String user, String name) {
    return post("/control/accounts", new JsonObject().put("user", user).put("name", name));
  }

  /** The phone of {@code user} scans {@code qr} (the text Vigía shows); answers the linked device. */
  public JsonObject scan(String user, String qr) {
    return post("/control/accounts/" + user + "/scan", new JsonObject().put("qr", qr));
  }

  /** The phone of {@code user} types {@code code} (the pairing code Vigía shows). */
  public JsonObject enterPairingCode(String user, String code) {
    return post("/control/accounts/" + user + "/pairing-code", new JsonObject().put("code", code));
  }

  /** The phone of {@code from} sends {@code text} to {@code to}'s linked devices. */
  public JsonObject send(String from, String to, String text) {
    return post("/control/accounts/" + from + "/send", new JsonObject().put("to", to).put("text", text));
  }

  /** {@code count} messages from {@code from} whose ciphertext's MAC is broken: a real Bad MAC. */
  public JsonObject sendCorrupt(String from, String to, int count) {
    return post("/control/accounts/" + from + "/send", new JsonObject().put("to", to).put("text", "x")
        .put("corrupt", true).put("count", count));
  }

  /** What the phone of {@code user} decrypted: {@code [{id, from, chat, text, sentCopy}]}. */
  public JsonArray inbox(String user) {
    return get("/control/accounts/" + user + "/inbox").getJsonArray("messages");
  }

  /** Retry receipts a companion sent for messages of {@code user} it could not decrypt. */
  public JsonArray retries(String user) {
    return get("/control/accounts/" + user + "/retries").getJsonArray("retries");
  }

  /** Breaks every live connection of {@code user}'s linked devices ({@code conflict}, {@code banned}…). */
  public JsonObject fault(String user, String kind) {
    return post("/control/accounts/" + user + "/fault", new JsonObject().put("kind", kind));
  }

  /** WhatsApp lets the account log in again (after a ban or an outdated client). */
  public void clearRefusal(String user) {
    post("/control/accounts/" + user + "/clear-refusal", new JsonObject());
  }

  /** A device linked elsewhere (a Baileys folder's {@code creds.json}) becomes known to this server. */
  public JsonObject adopt(String credsJson) {
    return post("/control/adopt", new JsonObject().put("creds", credsJson));
  }

  /** How many refs (QR codes) a new companion gets before "QR refs attempts ended". */
  public void refsPerLink(int refs) {
    post("/control/settings", new JsonObject().put("refs", refs));
  }

  public JsonObject state() {
    return get("/control/state");
  }

  /** The iq queries this server could not answer (Baileys waited for them in vain). */
  public List<Object> unanswered() {
    return state().getJsonArray("unanswered").getList();
  }

  /** The server's last log lines, for a failing test's message. */
  public String lastLines() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close(); // the server exits when its stdin closes
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private JsonObject get(String path) {
    return call(HttpRequest.newBuilder(uri(path)).GET());
  }

  private JsonObject post(String path, JsonObject body) {
    return call(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private JsonObject call(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new AssertionError("loopback " + r.request().uri().getPath() + " answered " + r.statusCode()
            + ": " + r.body());
      }
      return new JsonObject(r.body());
    } catch (IOException e) {
      throw new AssertionError("loopback unreachable: " + e + "\n" + lastLines(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- installing the loopback's Node dependencies ----

  private static Path project() {
    return TestNode.repoRoot().resolve("whatsapp-loopback");
  }

  /** {@code npm ci} when node_modules is missing or was installed from another lock. */
  private static synchronized void install(Path dir) throws IOException, InterruptedException {
    String wanted = sha256(Files.readAllBytes(dir.resolve("package.json")),
        Files.readAllBytes(dir.resolve("package-lock.json")));
    Path mark = dir.resolve(MARK);
    if (Files.exists(mark) && Files.readString(mark).trim().equals(wanted)) {
      return;
    }
    LOG.info("installing the loopback's Node dependencies (npm ci) in {}", dir);
    Process npm = new ProcessBuilder(npmCommand(), "ci", "--ignore-scripts", "--no-audit", "--no-fund")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    npm.getOutputStream().close();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> drain(npm.getInputStream(), l -> output.append(l).append('\n')));
    reader.start();
    if (!npm.waitFor(300, TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      throw new IOException("npm ci did not finish in 300 s");
    }
    reader.join(5000);
    if (npm.exitValue() != 0) {
      throw new IOException("npm ci failed in " + dir + ":\n" + output);
    }
    Files.writeString(mark, wanted);
  }

  private static String npmCommand() {
    Path beside = Path.of(NODE).getParent();
    return beside != null && Files.isExecutable(beside.resolve("npm")) ? beside.resolve("npm").toString() : "npm";
  }

  private static void drain(InputStream in, java.util.function.Consumer<String> onLine) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        onLine.accept(line);
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        d.update(part);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
