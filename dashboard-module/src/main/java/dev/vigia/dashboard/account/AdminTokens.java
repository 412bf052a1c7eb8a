package dev.vigia.dashboard.account;

import java.time.Instant;

/**
 * Making and recognizing admin tokens: 256 random bits behind a {@link #PREFIX}, stored as one
 * SHA-256 (as API keys: there is nothing to guess, and every request stays cheap).
 */
public final class AdminTokens {

  /** Marks a string as a Vigía admin token, so it is recognizable in a leak scan. */
  public static final String PREFIX = "vgt_";

  private AdminTokens() {}

  /** A new token for {@code user}: what to store, and the value to show once. */
  public record Generated(AdminToken stored, String value) {}

  public static Generated generate(User user, String label, Instant now) {
    String value = RandomValues.secret(PREFIX);
    String id = RandomValues.id("tok_");
    return new Generated(new AdminToken(id, user.username(), hash(value), stampOf(user), now,
        label), value);
  }

  /** Hex SHA-256 of the token's text. */
  public static String hash(String value) {
    return ApiKeys.hash(value);
  }

  /** What ties a token to the user as they were: a hash of the password hash, never the hash. */
  public static String stampOf(User user) {
    return ApiKeys.hash("vigia-token-user:" + user.username() + ":" + user.passwordHash());
  }

  /** Whether {@code token} still speaks for {@code user}: an admin with the same password. */
  public static boolean stillValidFor(AdminToken token, User user) {
    return user != null && user.isAdmin() && token.username().equals(user.username())
        && token.userStamp().equals(stampOf(user));
  }
}
