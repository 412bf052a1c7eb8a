package dev.vigia.dashboard.account;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes: PBKDF2WithHmacSHA256, a random 16-byte salt per user, encoded as
 * {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}. Blocking (hundreds of ms): call from
 * a worker, never from an event loop.
 */
public final class PasswordHasher {

  public static final String SCHEME = "pbkdf2-sha256";
  /** OWASP 2023 minimum for PBKDF2-HMAC-SHA256. */
  public static final int MIN_ITERATIONS = 210_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  /** Verified against when a user does not exist, so that a miss costs as long as a hit. */
  private final String decoy;

  public PasswordHasher(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("password iterations must be at least " + MIN_ITERATIONS);
    }
    this.iterations = iterations;
    this.decoy = SCHEME + "$" + iterations + "$" + b64(new byte[SALT_BYTES]) + "$"
        + b64(new byte[HASH_BITS / 8]);
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return SCHEME + "$" + iterations + "$" + b64(salt) + "$" + b64(derive(password, salt, iterations));
  }

  /** True when {@code password} matches {@code encoded}; a null or unreadable hash never matches. */
  public boolean verify(String password, String encoded) {
    boolean known = encoded != null;
    String[] parts = (known ? encoded : decoy).split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      parts = decoy.split("\\$");
      known = false;
    }
    try {
      int iter = Integer.parseInt(parts[1]);
      if (iter < MIN_ITERATIONS || iter > 10_000_000) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      byte[] actual = derive(password, salt, iter);
      return MessageDigest.isEqual(expected, actual) && known;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Spends the time of one verification, for a user that does not exist. */
  public boolean verifyNobody(String password) {
    verify(password, decoy);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }
}
