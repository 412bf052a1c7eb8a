package dev.vigia.bench;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.session.SessionRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Data dirs a bench starts Vigía on: the accounts of a first start (the admin) with {@code n}
 * orgs added, and optionally {@code n} linked simulated sessions as the gateway and the simulated
 * engine leave them (creds, five pre-keys, a record saying CONNECTED with a connection wanted).
 */
final class DataDirs {

  private DataDirs() {}

  /** Org ids of a bench: {@code b00001}, {@code b00002}, … */
  static String org(int i) {
    return String.format("b%05d", i);
  }

  /** A fresh data dir under {@code root} holding the admin and orgs 1..{@code orgs}. */
  static Path withOrgs(Path root, String name, int orgs) throws Exception {
    Path data = root.resolve(name);
    deleteTree(data);
    Files.createDirectories(data);
    // the first start creates the admin (one PBKDF2 hash) and the accounts file
    try (VigiaProcess first = VigiaProcess.start(data, Map.of())) {
      first.getClass();
    }
    Path file = data.resolve("accounts/accounts.json");
    JsonObject accounts = new JsonObject(Files.readString(file));
    JsonArray list = accounts.getJsonArray("orgs", new JsonArray());
    for (int i = 1; i <= orgs; i++) {
      list.add(new JsonObject().put("id", org(i)).put("name", "Bench " + i)
          .put("alertEmails", new JsonArray()).put("language", "es"));
    }
    accounts.put("orgs", list);
    Files.writeString(file, accounts.encode());
    return data;
  }

  /** Adds {@code n} linked, CONNECTED, wanted sessions for orgs 1..n. */
  static void linkSessions(Path data, int n) throws IOException {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    Path records = Files.createDirectories(data.resolve("sessions"));
    for (int i = 1; i <= n; i++) {
      String org = org(i);
      String jid = String.format("52155%08d:1@s.whatsapp.net", i);
      Path auth = Files.createDirectories(data.resolve("auth_sessions").resolve(org));
      JsonObject creds = new JsonObject().put("registered", true)
          .put("me", new JsonObject().put("id", jid).put("name", "Bench " + i))
          .put("registrationId", i).put("advSecretKey", "YmVuY2g=");
      Files.writeString(auth.resolve("creds.json"), creds.encode());
      for (int k = 1; k <= 5; k++) {
        Files.writeString(auth.resolve("pre-key-" + k + ".json"),
            "{\"private\":{\"type\":\"Buffer\",\"data\":\"YQ==\"},"
                + "\"public\":{\"type\":\"Buffer\",\"data\":\"Yg==\"}}");
      }
      SessionRecord record = new SessionRecord(org, SessionState.CONNECTED, at, null,
          new SessionView.Me(jid, "Bench " + i), at, null, true, 0);
      Files.write(records.resolve(org + ".json"), Json.mapper().writeValueAsBytes(record));
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The bench's work folder, {@code bench/target/<name>}; with {@code -Ddata=shm}, in
   * {@code /dev/shm} (memory: an fsync costs nothing there, so what is measured is the rest of
   * Vigía, not a disk shared with other work).
   */
  static Path work(String name) throws IOException {
    Path root = "shm".equals(System.getProperty("data"))
        ? Path.of("/dev/shm/vigia-bench") : Path.of("bench/target").toAbsolutePath();
    return Files.createDirectories(root.resolve(name));
  }

  /** Where the data dirs of this run are: {@code disk} or {@code shm}. */
  static String medium() {
    return "shm".equals(System.getProperty("data")) ? "shm" : "disk";
  }
}
