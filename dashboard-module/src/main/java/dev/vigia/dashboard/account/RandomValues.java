package dev.vigia.dashboard.account;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** The random parts of API keys and admin tokens: a 256-bit secret and a 64-bit public id. */
final class RandomValues {

  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomValues() {}

  /** {@code prefix} and 256 random bits, URL-safe: a value to show once and store hashed. */
  static String secret(String prefix) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** {@code prefix} and 64 random bits in hex: names a key or token in lists, never opens anything. */
  static String id(String prefix) {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return prefix + HexFormat.of().formatHex(id);
  }
}
