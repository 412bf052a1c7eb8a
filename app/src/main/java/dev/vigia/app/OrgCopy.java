package dev.vigia.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything one org holds, in the same shape whether read from the file store or back from
 * PostgreSQL, so {@code migrate-store} can compare the two by counts and one checksum. Texts are
 * the stored texts (Baileys' JSON as written, the record and journal lines as the stores write
 * them); times are cut to microseconds, PostgreSQL's precision.
 *
 * @param keys     {@code type + '\0' + id} to the value's text
 * @param account  the org's account line (name, alert e-mails, webhook, language, the users who
 *                 may see it), or null
 * @param apiKeys  one line per API key (id, hash, creation, label), sorted
 */
record OrgCopy(String org, String creds, SortedMap<String, String> keys, List<Archived> archives,
    String record, List<String> journal, SortedMap<LocalDate, List<Long>> stats, String account,
    List<String> apiKeys) {

  /** A cleared auth state. */
  record Archived(Instant at, String creds, SortedMap<String, String> keys) {}

  /** The account line both sides compare: a JSON array of the org's account fields. */
  static String accountLine(String name, List<String> alertEmails, String webhookUrl,
      String language, List<String> members) {
    List<String> sorted = new java.util.ArrayList<>(members);
    sorted.sort(null);
    return json(java.util.Arrays.asList(name, alertEmails, webhookUrl, language, sorted));
  }

  /** An API key's line: a JSON array of its fields. */
  static String apiKeyLine(String id, String hash, Instant createdAt, String label) {
    return json(java.util.Arrays.asList(id, hash, createdAt == null ? null
        : createdAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString(), label));
  }

  private static String json(Object value) {
    try {
      return dev.vigia.common.Json.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String keyOf(String type, String id) {
    return type + '\0' + id;
  }

  /** One line of counts, as the command prints it. */
  String counts() {
    return (creds == null ? "no creds" : "creds") + ", " + keys.size() + " keys, "
        + archives.size() + " archived auth states, " + (record == null ? "no" : "a")
        + " session record, " + journal.size() + " journal entries, " + stats.size()
        + " days of stats, " + apiKeys.size() + " API keys";
  }

  /** SHA-256 over every value, in a fixed order, each labelled and length-prefixed. */
  String checksum() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    add(md, "org", org);
    add(md, "creds", creds);
    keys.forEach((k, v) -> add(md, "key " + k, v));
    for (Archived a : archives) {
      add(md, "archive", a.at().toString());
      add(md, "archived creds", a.creds());
      a.keys().forEach((k, v) -> add(md, "archived key " + k, v));
    }
    add(md, "record", record);
    journal.forEach(line -> add(md, "journal", line));
    stats.forEach((day, c) -> add(md, "stats " + day, c.toString()));
    add(md, "account", account);
    apiKeys.forEach(line -> add(md, "api key", line));
    return HexFormat.of().formatHex(md.digest());
  }

  private static void add(MessageDigest md, String label, String value) {
    md.update(label.getBytes(StandardCharsets.UTF_8));
    if (value == null) {
      md.update((byte) 0);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    md.update((byte) 1);
    md.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    md.update((byte) ':');
    md.update(bytes);
  }
}
