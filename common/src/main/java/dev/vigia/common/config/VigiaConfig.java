package dev.vigia.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigia.common.Json;
import dev.vigia.common.pg.PgSettings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vigía's configuration (DESIGN §8), read in this one place: environment variables, over the keys
 * of an optional JSON file given with {@code --config}. A bad value stops start-up with one line
 * naming the variable. Verticles receive it as JSON ({@link #toJson()}) and read it back with
 * {@link #fromJson(JsonObject)}.
 */
public record VigiaConfig(
    String httpHost,
    int httpPort,
    String dataDir,
    String engine,
    String store,
    String pgUrl,
    String adminUser,
    String adminPassword,
    int staleDays,
    int archiveDays,
    Smtp smtp,
    List<String> alertEmails,
    String webhookUrl,
    String webhookSecret,
    ClusterSettings cluster,
    int passwordIterations,
    long alertCooldownSeconds,
    Sim sim,
    String metricsToken,
    String node,
    String baileysWsUrl,
    int pgPoolSize,
    Checks checks) {

  public static final Set<String> ENGINES = Set.of("baileys", "simulated");
  public static final Set<String> STORES = Set.of("file", "postgres");

  /** Outgoing mail for alerts; {@code host} null means e-mail alerts are off. */
  public record Smtp(String host, int port, String username, String password, String from,
      String tls) {}

  /**
   * Timings of the simulated WhatsApp (the real service: first QR 60 s, later ones 20 s), and
   * {@code whatsApp}: {@code host:port} of a shared simulated WhatsApp that several processes use
   * (null: each process has its own, inside it).
   */
  public record Sim(long qrFirstMillis, long qrNextMillis, int qrCount, long restartMillis,
      String whatsApp) {}

  /**
   * The machine checks the monitor runs every {@code intervalSeconds}: the data dir's disk warns
   * when its free space is under {@code diskWarnPercent} % of the disk or under
   * {@code diskWarnMb} MiB (0 turns that rule off); {@code networkTarget} ({@code host:port}) is
   * where WhatsApp is reached, or null when the network check is off.
   */
  public record Checks(int diskWarnPercent, long diskWarnMb, String networkTarget,
      int intervalSeconds) {

    /** The free bytes under which the disk warns (the larger of the two rules). */
    public long diskWarnBytes(long totalBytes) {
      long byPercent = totalBytes / 100 * diskWarnPercent;
      return Math.max(byPercent, diskWarnMb << 20);
    }

    /** The network target's host ({@code null} when the check is off). */
    public String networkHost() {
      return networkTarget == null ? null
          : networkTarget.substring(0, networkTarget.lastIndexOf(':'));
    }

    /** The network target's port ({@code 0} when the check is off). */
    public int networkPort() {
      return networkTarget == null ? 0
          : Integer.parseInt(networkTarget.substring(networkTarget.lastIndexOf(':') + 1));
    }
  }

  /** Every variable read, with its default (null: unset). */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new java.util.LinkedHashMap<>();
    d.put("VIGIA_HTTP_HOST", "127.0.0.1");
    d.put("VIGIA_HTTP_PORT", "8080");
    d.put("VIGIA_DATA_DIR", "./vigia-data");
    d.put("VIGIA_ENGINE", "baileys");
    d.put("VIGIA_STORE", "file");
    d.put("VIGIA_PG_URL", null);
    d.put("VIGIA_PG_POOL_SIZE", "10");
    d.put("VIGIA_ADMIN_USER", "admin");
    d.put("VIGIA_ADMIN_PASSWORD", null);
    d.put("VIGIA_STALE_DAYS", "30");
    d.put("VIGIA_ARCHIVE_DAYS", "30");
    d.put("VIGIA_SMTP_HOST", null);
    d.put("VIGIA_SMTP_PORT", "25");
    d.put("VIGIA_SMTP_USERNAME", null);
    d.put("VIGIA_SMTP_PASSWORD", null);
    d.put("VIGIA_SMTP_FROM", "vigia@localhost");
    d.put("VIGIA_SMTP_TLS", "optional");
    d.put("VIGIA_ALERT_EMAILS", "");
    d.put("VIGIA_WEBHOOK_URL", null);
    d.put("VIGIA_WEBHOOK_SECRET", null);
    ClusterSettings.defaults(d);
    d.put("VIGIA_PASSWORD_ITERATIONS", "210000");
    d.put("VIGIA_ALERT_COOLDOWN_SECONDS", "900");
    d.put("VIGIA_SIM_QR_FIRST_MS", "60000");
    d.put("VIGIA_SIM_QR_NEXT_MS", "20000");
    d.put("VIGIA_SIM_QR_COUNT", "6");
    d.put("VIGIA_SIM_RESTART_MS", "200");
    d.put("VIGIA_SIM_WHATSAPP", null);
    d.put("VIGIA_METRICS_TOKEN", null);
    d.put("VIGIA_NODE", "node");
    d.put("VIGIA_BAILEYS_WS_URL", null);
    d.put("VIGIA_DISK_WARN_PERCENT", "10");
    d.put("VIGIA_DISK_WARN_MB", "1024");
    d.put("VIGIA_NETWORK_TARGET", "web.whatsapp.com:443");
    d.put("VIGIA_CHECK_INTERVAL_SECONDS", "30");
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Defaults only: for tests, which then change what they need. */
  public static VigiaConfig defaultsOnly() {
    return fromMap(new HashMap<>());
  }

  /** Reads {@code configFile} (may be null), then the environment over it. */
  public static VigiaConfig load(Map<String, String> env, Path configFile) {
    Map<String, String> values = new HashMap<>();
    if (configFile != null) {
      values.putAll(readFile(configFile));
    }
    env.forEach((k, v) -> {
      if (DEFAULTS.containsKey(k)) {
        values.put(k, v);
      }
    });
    return fromMap(values);
  }

  private static Map<String, String> readFile(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("--config " + file + ": cannot read it as JSON ("
          + e.getClass().getSimpleName() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("--config " + file + ": must hold one JSON object");
    }
    Map<String, String> values = new HashMap<>();
    for (var it = root.fields(); it.hasNext(); ) {
      var field = it.next();
      if (!DEFAULTS.containsKey(field.getKey())) {
        throw new ConfigException("--config " + file + ": unknown key " + field.getKey());
      }
      JsonNode v = field.getValue();
      values.put(field.getKey(), v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString());
    }
    return values;
  }

  /** Builds and checks a configuration from variable names to values. */
  public static VigiaConfig fromMap(Map<String, String> given) {
    Map<String, String> v = new HashMap<>(DEFAULTS);
    given.forEach((k, val) -> v.put(k, val == null || val.isBlank() ? DEFAULTS.get(k) : val.trim()));
    String engine = oneOf(v, "VIGIA_ENGINE", ENGINES);
    String store = oneOf(v, "VIGIA_STORE", STORES);
    String pgUrl = v.get("VIGIA_PG_URL");
    if (store.equals("postgres") && pgUrl == null) {
      throw new ConfigException("VIGIA_PG_URL must be set when VIGIA_STORE=postgres");
    }
    if (pgUrl != null) {
      try {
        PgSettings.parse(pgUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("VIGIA_PG_URL " + e.getMessage()); // never the URL: a password
      }
    }
    String smtpHost = v.get("VIGIA_SMTP_HOST");
    String webhook = v.get("VIGIA_WEBHOOK_URL");
    if (webhook != null) {
      url("VIGIA_WEBHOOK_URL", webhook);
    }
    String adminUser = v.get("VIGIA_ADMIN_USER");
    if (!adminUser.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw new ConfigException("VIGIA_ADMIN_USER: use 1 to 64 letters, digits or _ . @ -");
    }
    String metricsToken = v.get("VIGIA_METRICS_TOKEN");
    if (metricsToken != null && metricsToken.length() < 16) {
      // the token is all that protects /metrics when the port is reachable from elsewhere
      throw new ConfigException("VIGIA_METRICS_TOKEN must have at least 16 characters");
    }
    String adminPassword = v.get("VIGIA_ADMIN_PASSWORD");
    if (adminPassword != null && adminPassword.length() < 8) {
      throw new ConfigException("VIGIA_ADMIN_PASSWORD must have at least 8 characters");
    }
    String baileysWsUrl = v.get("VIGIA_BAILEYS_WS_URL");
    if (baileysWsUrl != null) {
      wsUrl("VIGIA_BAILEYS_WS_URL", baileysWsUrl);
    }
    ClusterSettings cluster = ClusterSettings.parse(v);
    String simWhatsApp = v.get("VIGIA_SIM_WHATSAPP");
    if (simWhatsApp != null && !simWhatsApp.matches("[A-Za-z0-9._-]{1,253}:[0-9]{1,5}")) {
      throw new ConfigException("VIGIA_SIM_WHATSAPP=" + simWhatsApp + " is not host:port");
    }
    if (cluster.enabled() && !store.equals("postgres")) {
      // the nodes share every store and fence each other's writes in the database
      throw new ConfigException("VIGIA_CLUSTER=true needs VIGIA_STORE=postgres");
    }
    if (cluster.enabled() && engine.equals("simulated") && simWhatsApp == null) {
      // each node's own simulated WhatsApp would never see another node's connection (no 440)
      throw new ConfigException("VIGIA_SIM_WHATSAPP must be set when VIGIA_CLUSTER=true and"
          + " VIGIA_ENGINE=simulated (the nodes share one simulated WhatsApp)");
    }
    return new VigiaConfig(
        v.get("VIGIA_HTTP_HOST"),
        intIn(v, "VIGIA_HTTP_PORT", 0, 65535),
        v.get("VIGIA_DATA_DIR"),
        engine,
        store,
        pgUrl,
        adminUser,
        adminPassword,
        intIn(v, "VIGIA_STALE_DAYS", 1, 3650),
        intIn(v, "VIGIA_ARCHIVE_DAYS", 1, 36500),
        new Smtp(smtpHost, intIn(v, "VIGIA_SMTP_PORT", 1, 65535), v.get("VIGIA_SMTP_USERNAME"),
            v.get("VIGIA_SMTP_PASSWORD"), v.get("VIGIA_SMTP_FROM"),
            oneOf(v, "VIGIA_SMTP_TLS", Set.of("none", "optional", "required"))),
        emails(v.get("VIGIA_ALERT_EMAILS")),
        webhook,
        v.get("VIGIA_WEBHOOK_SECRET"),
        cluster,
        intIn(v, "VIGIA_PASSWORD_ITERATIONS", 210_000, 10_000_000),
        intIn(v, "VIGIA_ALERT_COOLDOWN_SECONDS", 0, 86_400 * 7),
        new Sim(intIn(v, "VIGIA_SIM_QR_FIRST_MS", 10, 600_000),
            intIn(v, "VIGIA_SIM_QR_NEXT_MS", 10, 600_000),
            intIn(v, "VIGIA_SIM_QR_COUNT", 1, 100),
            intIn(v, "VIGIA_SIM_RESTART_MS", 0, 60_000), simWhatsApp),
        metricsToken,
        v.get("VIGIA_NODE"),
        baileysWsUrl,
        intIn(v, "VIGIA_PG_POOL_SIZE", 1, 100),
        new Checks(intIn(v, "VIGIA_DISK_WARN_PERCENT", 0, 99),
            intIn(v, "VIGIA_DISK_WARN_MB", 0, 100_000_000),
            networkTarget(v.get("VIGIA_NETWORK_TARGET")),
            intIn(v, "VIGIA_CHECK_INTERVAL_SECONDS", 1, 3600)));
  }

  /** {@code host:port} (an IPv6 address in brackets), or {@code off}: null. */
  private static String networkTarget(String raw) {
    if (raw.equalsIgnoreCase("off")) {
      return null;
    }
    int colon = raw.lastIndexOf(':');
    String host = colon < 1 ? "" : raw.substring(0, colon);
    boolean hostOk = host.matches("[A-Za-z0-9.-]{1,253}") || host.matches("\\[[0-9A-Fa-f:.]{2,45}\\]");
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(raw.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (!hostOk || port < 1 || port > 65535) {
      throw new ConfigException("VIGIA_NETWORK_TARGET=" + raw + " is not host:port (for example"
          + " web.whatsapp.com:443), nor off");
    }
    return raw;
  }

  static int intIn(Map<String, String> v, String key, int min, int max) {
    String raw = v.get(key);
    try {
      int n = Integer.parseInt(raw);
      if (n < min || n > max) {
        throw new ConfigException(key + "=" + raw + " is out of range: use " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + "=" + raw + " is not a whole number");
    }
  }

  private static String oneOf(Map<String, String> v, String key, Set<String> allowed) {
    String raw = v.get(key).toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(raw)) {
      throw new ConfigException(key + "=" + v.get(key) + " is not one of " + new java.util.TreeSet<>(allowed));
    }
    return raw;
  }

  static boolean bool(Map<String, String> v, String key) {
    String raw = v.get(key).toLowerCase(java.util.Locale.ROOT);
    return switch (raw) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(key + "=" + v.get(key) + " is not true or false");
    };
  }

  private static void url(String key, String raw) {
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(key + " must be an http:// or https:// URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key + " is not a valid URL");
    }
  }

  private static void wsUrl(String key, String raw) {
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() == null || !(uri.getScheme().equals("ws") || uri.getScheme().equals("wss"))
          || uri.getHost() == null) {
        throw new ConfigException(key + " must be a ws:// or wss:// URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key + " is not a valid URL");
    }
  }

  private static List<String> emails(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null || raw.isBlank()) {
      return out;
    }
    for (String e : Arrays.asList(raw.split(","))) {
      String t = e.trim();
      if (!t.isEmpty()) {
        if (!t.matches("[^@\\s]+@[^@\\s]+")) {
          throw new ConfigException("VIGIA_ALERT_EMAILS: '" + t + "' is not an e-mail address");
        }
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** Where PostgreSQL is ({@code VIGIA_PG_URL}, checked at load), or null when unset. */
  public PgSettings pgSettings() {
    return pgUrl == null ? null : PgSettings.parse(pgUrl);
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  public JsonObject toJson() {
    return Json.toJson(this);
  }

  public static VigiaConfig fromJson(JsonObject json) {
    return Json.fromJson(json, VigiaConfig.class);
  }

  /** The same configuration with another value for one variable: for tests and subcommands. */
  public VigiaConfig with(String key, String value) {
    Map<String, String> m = new HashMap<>(asMap());
    m.put(key, value);
    return fromMap(m);
  }

  private Map<String, String> asMap() {
    Map<String, String> m = new HashMap<>();
    m.put("VIGIA_HTTP_HOST", httpHost);
    m.put("VIGIA_HTTP_PORT", String.valueOf(httpPort));
    m.put("VIGIA_DATA_DIR", dataDir);
    m.put("VIGIA_ENGINE", engine);
    m.put("VIGIA_STORE", store);
    m.put("VIGIA_PG_URL", pgUrl);
    m.put("VIGIA_ADMIN_USER", adminUser);
    m.put("VIGIA_ADMIN_PASSWORD", adminPassword);
    m.put("VIGIA_STALE_DAYS", String.valueOf(staleDays));
    m.put("VIGIA_ARCHIVE_DAYS", String.valueOf(archiveDays));
    m.put("VIGIA_SMTP_HOST", smtp.host());
    m.put("VIGIA_SMTP_PORT", String.valueOf(smtp.port()));
    m.put("VIGIA_SMTP_USERNAME", smtp.username());
    m.put("VIGIA_SMTP_PASSWORD", smtp.password());
    m.put("VIGIA_SMTP_FROM", smtp.from());
    m.put("VIGIA_SMTP_TLS", smtp.tls());
    m.put("VIGIA_ALERT_EMAILS", String.join(",", alertEmails));
    m.put("VIGIA_WEBHOOK_URL", webhookUrl);
    m.put("VIGIA_WEBHOOK_SECRET", webhookSecret);
    cluster.into(m);
    m.put("VIGIA_PASSWORD_ITERATIONS", String.valueOf(passwordIterations));
    m.put("VIGIA_ALERT_COOLDOWN_SECONDS", String.valueOf(alertCooldownSeconds));
    m.put("VIGIA_SIM_QR_FIRST_MS", String.valueOf(sim.qrFirstMillis()));
    m.put("VIGIA_SIM_QR_NEXT_MS", String.valueOf(sim.qrNextMillis()));
    m.put("VIGIA_SIM_QR_COUNT", String.valueOf(sim.qrCount()));
    m.put("VIGIA_SIM_RESTART_MS", String.valueOf(sim.restartMillis()));
    m.put("VIGIA_SIM_WHATSAPP", sim.whatsApp());
    m.put("VIGIA_METRICS_TOKEN", metricsToken);
    m.put("VIGIA_NODE", node);
    m.put("VIGIA_BAILEYS_WS_URL", baileysWsUrl);
    m.put("VIGIA_PG_POOL_SIZE", String.valueOf(pgPoolSize));
    m.put("VIGIA_DISK_WARN_PERCENT", String.valueOf(checks.diskWarnPercent()));
    m.put("VIGIA_DISK_WARN_MB", String.valueOf(checks.diskWarnMb()));
    m.put("VIGIA_NETWORK_TARGET", checks.networkTarget() == null ? "off" : checks.networkTarget());
    m.put("VIGIA_CHECK_INTERVAL_SECONDS", String.valueOf(checks.intervalSeconds()));
    return m;
  }

  @Override
  public String toString() {
    // never print secrets
    return "VigiaConfig[http=" + httpHost + ":" + httpPort + ", dataDir=" + dataDir + ", engine="
        + engine + ", store=" + store + "]";
  }
}
