package dev.vigia.dashboard.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);

  @Test
  void hashIsPbkdf2WithItsIterationsAndA16ByteSaltAndNeverThePassword() {
    String encoded = hasher.hash("correct horse");
    String[] parts = encoded.split("\\$");
    assertEquals(4, parts.length, encoded);
    assertEquals("pbkdf2-sha256", parts[0]);
    assertTrue(Integer.parseInt(parts[1]) >= 210_000);
    assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
    assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    assertFalse(encoded.contains("correct horse"));
  }

  @Test
  void verifiesTheRightPasswordOnlyAndEachHashHasItsOwnSalt() {
    String a = hasher.hash("correct horse");
    String b = hasher.hash("correct horse");
    assertNotEquals(a, b, "a per-user random salt");
    assertTrue(hasher.verify("correct horse", a));
    assertTrue(hasher.verify("correct horse", b));
    assertFalse(hasher.verify("correct horsE", a));
  }

  @Test
  void unreadableOrWeakHashesNeverMatch() {
    assertFalse(hasher.verify("x", null));
    assertFalse(hasher.verify("x", "plain-text-password"));
    assertFalse(hasher.verify("x", "pbkdf2-sha256$1000$AAAA$AAAA"), "too few iterations");
    assertFalse(hasher.verify("x", "pbkdf2-sha256$210000$!!$??"));
    assertFalse(hasher.verifyNobody("x"));
  }

  @Test
  void refusesFewerThan210000Iterations() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(100_000));
  }
}
