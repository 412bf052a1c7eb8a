package dev.vigia.dashboard.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Making and recognizing API keys. A key is 256 random bits, so a single SHA-256 is enough to
 * store it: unlike a password there is nothing to guess, and a fast hash keeps every request
 * cheap. The key value is returned once by {@link #generate} and never stored.
 */
public final class ApiKeys {

  /** Marks a string as a Vigía key, so it is recognizable in a leak scan. */
  public static final String PREFIX = "vgk_";

  private ApiKeys() {}

  /** A new key for {@code org}: what to store, and the value to show once. */
  public record Generated(ApiKey stored, String value) {}

  public static Generated generate(String org, String label, Instant now) {
    String value = RandomValues.secret(PREFIX);
    String id = RandomValues.id("key_");
    return new Generated(new ApiKey(id, org, hash(value), now, label), value);
  }

  /** Hex SHA-256 of the key's text. */
  public static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
