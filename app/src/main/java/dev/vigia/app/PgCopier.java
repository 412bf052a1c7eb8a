package dev.vigia.app;

import dev.vigia.common.Json;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.dashboard.account.ApiKey;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.User;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes an {@link OrgCopy} into PostgreSQL's tables (schema V1, V10-V15) and reads it back.
 * One org is one transaction that first deletes what the org holds there, so a second run
 * replaces rather than adds (the journal is not doubled). Blocking JDBC: for the offline
 * {@code migrate-store} command only, never a server's event loop.
 */
final class PgCopier {

  static final String REASON = "copied from the file store by migrate-store";

  private final Connection c;

  PgCopier(Connection c) throws SQLException {
    this.c = c;
    c.setAutoCommit(false);
  }

  /** The accounts: users first (an org's memberships are written with the org). */
  void writeUsers(List<User> users) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("INSERT INTO app_user (username,"
        + " password_hash, role) VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET"
        + " password_hash = excluded.password_hash, role = excluded.role")) {
      for (User u : users) {
        up.setString(1, u.username());
        up.setString(2, u.passwordHash());
        up.setString(3, u.role());
        up.addBatch();
      }
      up.executeBatch();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  /** Replaces everything {@code copy.org()} holds in PostgreSQL with {@code copy}. */
  void write(OrgCopy copy, Org account, List<User> members, List<ApiKey> apiKeys, Instant now)
      throws SQLException {
    String org = copy.org();
    try {
      update("INSERT INTO org (org) VALUES (?) ON CONFLICT DO NOTHING", org);
      for (String table : List.of("auth_state", "auth_archive", "session_record", "journal_entry",
          "daily_stats", "api_key", "user_org", "account_org")) {
        update("DELETE FROM " + table + " WHERE org = ?", org); // cascades to the key rows
      }
      if (copy.creds() != null || !copy.keys().isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO auth_state (org, creds, last_write) VALUES (?, ?, ?)")) {
          ps.setString(1, org);
          ps.setString(2, copy.creds());
          ps.setObject(3, utc(now));
          ps.executeUpdate();
        }
        keys("INSERT INTO auth_key (org, type, id, value) VALUES (?, ?, ?, ?)", org, null,
            copy.keys());
      }
      for (OrgCopy.Archived a : copy.archives()) {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO auth_archive (org,"
            + " archived_at, reason, creds, last_write) VALUES (?, ?, ?, ?, ?) RETURNING archive_id")) {
          ps.setString(1, org);
          ps.setObject(2, utc(a.at()));
          ps.setString(3, REASON);
          ps.setString(4, a.creds());
          ps.setObject(5, utc(a.at()));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
          }
        }
        keys("INSERT INTO auth_archive_key (org, archive_id, type, id, value)"
            + " VALUES (?, ?, ?, ?, ?)", org, id, a.keys());
      }
      if (copy.record() != null) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO session_record (org, record, saved_at) VALUES (?, ?, ?)")) {
          ps.setString(1, org);
          ps.setString(2, copy.record());
          ps.setObject(3, utc(now));
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO journal_entry (org, at, entry) VALUES (?, ?, ?)")) {
        for (String line : copy.journal()) {
          Instant at = Json.mapper().readValue(line, JournalEntry.class).at();
          ps.setString(1, org);
          ps.setObject(2, utc(at == null ? now : at));
          ps.setString(3, line);
          ps.addBatch(); // a batch runs in order: n keeps the journal's order
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO daily_stats (org, day, sent,"
          + " failed, reconnects) VALUES (?, ?, ?, ?, ?)")) {
        for (var day : copy.stats().entrySet()) {
          ps.setString(1, org);
          ps.setObject(2, day.getKey());
          for (int i = 0; i < 3; i++) {
            ps.setLong(3 + i, day.getValue().get(i));
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      if (account != null) {
        writeAccount(account, members, apiKeys);
      }
      c.commit();
    } catch (SQLException | IOException | RuntimeException e) {
      c.rollback();
      throw e instanceof SQLException sql ? sql : new SQLException("org " + org + ": " + e, e);
    }
  }

  private void writeAccount(Org account, List<User> members, List<ApiKey> apiKeys)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO account_org (org, name,"
        + " alert_emails, webhook_url, language) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, account.id());
      ps.setString(2, account.name());
      ps.setArray(3, c.createArrayOf("text", account.alertEmails().toArray()));
      ps.setString(4, account.webhookUrl());
      ps.setString(5, account.language());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO user_org (username, org, position) VALUES (?, ?, ?)")) {
      for (User u : members) {
        ps.setString(1, u.username());
        ps.setString(2, account.id());
        ps.setInt(3, u.orgs().indexOf(account.id()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_key (org, id, hash,"
        + " created_at, label) VALUES (?, ?, ?, ?, ?)")) {
      for (ApiKey k : apiKeys) {
        ps.setString(1, account.id());
        ps.setString(2, k.id());
        ps.setString(3, k.hash());
        ps.setObject(4, utc(k.createdAt()));
        ps.setString(5, k.label());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** What PostgreSQL holds of {@code org}, in the shape of the file side's copy. */
  OrgCopy read(String org) throws SQLException, IOException {
    SortedMap<String, String> keys = keys("SELECT type, id, value FROM auth_key WHERE org = ?",
        org, null);
    String creds = first("SELECT creds FROM auth_state WHERE org = ?", org);
    List<OrgCopy.Archived> archives = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    List<String> archivedCreds = new ArrayList<>();
    try (ResultSet rs = query("SELECT archive_id, archived_at, creds FROM auth_archive"
        + " WHERE org = ? ORDER BY archived_at, archive_id", org)) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
        times.add(rs.getObject(2, OffsetDateTime.class).toInstant());
        archivedCreds.add(rs.getString(3));
      }
    }
    for (int i = 0; i < ids.size(); i++) {
      archives.add(new OrgCopy.Archived(times.get(i), archivedCreds.get(i), keys("SELECT type, id,"
          + " value FROM auth_archive_key WHERE org = ? AND archive_id = ?", org, ids.get(i))));
    }
    List<String> journal = new ArrayList<>();
    try (ResultSet rs = query("SELECT entry FROM journal_entry WHERE org = ? ORDER BY n", org)) {
      while (rs.next()) {
        journal.add(rs.getString(1));
      }
    }
    SortedMap<LocalDate, List<Long>> stats = new TreeMap<>();
    try (ResultSet rs = query("SELECT day, sent, failed, reconnects FROM daily_stats"
        + " WHERE org = ?", org)) {
      while (rs.next()) {
        stats.put(rs.getObject(1, LocalDate.class), List.of(rs.getLong(2), rs.getLong(3),
            rs.getLong(4)));
      }
    }
    List<String> members = new ArrayList<>();
    try (ResultSet rs = query("SELECT username FROM user_org WHERE org = ?", org)) {
      while (rs.next()) {
        members.add(rs.getString(1));
      }
    }
    String account = null;
    try (ResultSet rs = query("SELECT name, alert_emails, webhook_url, language FROM account_org"
        + " WHERE org = ?", org)) {
      if (rs.next()) {
        Array emails = rs.getArray(2);
        account = OrgCopy.accountLine(rs.getString(1), List.of((String[]) emails.getArray()),
            rs.getString(3), rs.getString(4), members);
      }
    }
    List<String> apiKeys = new ArrayList<>();
    try (ResultSet rs = query("SELECT id, hash, created_at, label FROM api_key WHERE org = ?",
        org)) {
      while (rs.next()) {
        apiKeys.add(OrgCopy.apiKeyLine(rs.getString(1), rs.getString(2),
            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)));
      }
    }
    apiKeys.sort(null);
    c.commit(); // the reads' transaction
    return new OrgCopy(org, creds, keys, archives,
        first("SELECT record FROM session_record WHERE org = ?", org), journal, stats, account,
        apiKeys);
  }

  /** How many of {@code usernames} PostgreSQL holds with the same hash and role. */
  int sameUsers(List<User> users) throws SQLException {
    int same = 0;
    for (User u : users) {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM app_user WHERE username = ?"
          + " AND password_hash = ? AND role = ?")) {
        ps.setString(1, u.username());
        ps.setString(2, u.passwordHash());
        ps.setString(3, u.role());
        try (ResultSet rs = ps.executeQuery()) {
          same += rs.next() ? 1 : 0;
        }
      }
    }
    c.commit();
    return same;
  }

  private void keys(String insert, String org, Long archiveId, SortedMap<String, String> keys)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (var key : keys.entrySet()) {
        int sep = key.getKey().indexOf('\0');
        int i = 1;
        ps.setString(i++, org);
        if (archiveId != null) {
          ps.setLong(i++, archiveId);
        }
        ps.setString(i++, key.getKey().substring(0, sep));
        ps.setString(i++, key.getKey().substring(sep + 1));
        ps.setString(i, key.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private SortedMap<String, String> keys(String select, String org, Long archiveId)
      throws SQLException {
    SortedMap<String, String> keys = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, org);
      if (archiveId != null) {
        ps.setLong(2, archiveId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.put(OrgCopy.keyOf(rs.getString(1), rs.getString(2)), rs.getString(3));
        }
      }
    }
    return keys;
  }

  private void update(String sql, String org) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, org);
      ps.executeUpdate();
    }
  }

  private ResultSet query(String sql, String org) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.closeOnCompletion();
    ps.setString(1, org);
    return ps.executeQuery();
  }

  private String first(String sql, String org) throws SQLException {
    try (ResultSet rs = query(sql, org)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Cut to microseconds, as the copy compares them: PostgreSQL would round the nanoseconds. */
  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        ZoneOffset.UTC);
  }
}
