package dev.vigia.common.pg;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the PostgreSQL database is: {@code VIGIA_PG_URL} in libpq's URL form,
 * {@code postgresql://user:password@host:port/database}, read in this one place for both clients
 * Vigía uses (the reactive pool of the stores and the JDBC connection of the migrations). The
 * password never leaves this record except to those two clients: {@link #toString()} and
 * {@link #where()} leave it out.
 */
public record PgSettings(String host, int port, String database, String user, String password) {

  public static final int DEFAULT_PORT = 5432;

  /**
   * Parses {@code url}; throws {@link IllegalArgumentException} with a one-line message that
   * never repeats the URL (it may hold a password).
   */
  public static PgSettings parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("is empty; use postgresql://user:password@host:port/database");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL; use postgresql://user:password@host:port/database"
          + " (percent-encode special characters of the password)");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException("must start with postgresql://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("names no host; use postgresql://user:password@host:port/database");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw new IllegalArgumentException("names no database; use postgresql://user:password@host:port/database");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // sslmode and the other libpq parameters are not built yet: refused, never ignored
      throw new IllegalArgumentException("parameters after '?' are not supported (TLS to PostgreSQL"
          + " is not built yet)");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("names no user; use postgresql://user:password@host:port/database");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new PgSettings(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
        decode(path.substring(1)), user, password);
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The same database under another name (tests make one database per test class). */
  public PgSettings withDatabase(String otherDatabase) {
    return new PgSettings(host, port, otherDatabase, user, password);
  }

  /** The URL again, password included: for configuration handed to a child process or a test. */
  public String toUrl() {
    String auth = encode(user) + (password == null ? "" : ":" + encode(password));
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "postgresql://" + auth + "@" + h + ":" + port + "/" + encode(database);
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code user@host:port/database}: for log lines and error messages (no password). */
  public String where() {
    return user + "@" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user);
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  /** For the JDBC driver (Flyway); user and password are given beside it, not in it. */
  public String jdbcUrl() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + encode(database)
        + "?connectTimeout=10&ApplicationName=vigia";
  }

  @Override
  public String toString() {
    return "PgSettings[" + where() + "]";
  }
}
