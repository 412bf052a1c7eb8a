package dev.vigia.app;

import dev.vigia.dashboard.account.AdminToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The admin tokens file ({@code accounts/tokens.json}, hashes only) copied into
 * {@code admin_token} (schema V21) by {@code migrate-store}: they move aside with the accounts
 * folder, so without the copy every command-line token would stop working. A row with the same
 * id is replaced, so a second run adds nothing. Blocking JDBC, offline only.
 */
final class TokenCopy {

  private TokenCopy() {}

  /** Writes {@code tokens} in one transaction ({@code c} is not in auto-commit). */
  static void write(Connection c, List<AdminToken> tokens) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("INSERT INTO admin_token (id, username, hash,"
        + " user_stamp, created_at, label) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
        + " SET username = excluded.username, hash = excluded.hash, user_stamp ="
        + " excluded.user_stamp, created_at = excluded.created_at, label = excluded.label")) {
      for (AdminToken t : tokens) {
        up.setString(1, t.id());
        up.setString(2, t.username());
        up.setString(3, t.hash());
        up.setString(4, t.userStamp());
        up.setObject(5, utc(t));
        up.setString(6, t.label());
        up.addBatch();
      }
      up.executeBatch();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  /** How many of {@code tokens} PostgreSQL holds with every field the same. */
  static int same(Connection c, List<AdminToken> tokens) throws SQLException {
    int same = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM admin_token WHERE id = ?"
        + " AND username = ? AND hash = ? AND user_stamp = ? AND created_at = ?"
        + " AND label IS NOT DISTINCT FROM ?")) {
      for (AdminToken t : tokens) {
        ps.setString(1, t.id());
        ps.setString(2, t.username());
        ps.setString(3, t.hash());
        ps.setString(4, t.userStamp());
        ps.setObject(5, utc(t));
        ps.setString(6, t.label());
        try (ResultSet rs = ps.executeQuery()) {
          same += rs.next() ? 1 : 0;
        }
      }
    }
    c.commit();
    return same;
  }

  /** Microseconds, as PostgreSQL keeps them (and as PgTokenStore cuts them). */
  private static OffsetDateTime utc(AdminToken t) {
    return OffsetDateTime.ofInstant(t.createdAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
