package dev.vigia.gateway.store;

import java.nio.file.Path;

/**
 * The real Baileys auth folders in the repository's {@code test-fixtures/baileys/} (its README
 * lists what they hold and how they are regenerated). Copy one before changing it.
 */
public final class BaileysFixtures {

  private BaileysFixtures() {}

  /** The linked org {@code 5215550000001:7}: creds, 812 pre-keys, a session, keys of every kind. */
  public static Path org() {
    return root().resolve("auth-org");
  }

  /** {@code test-fixtures/baileys/}: the folders, {@code phones.json} and the README. */
  public static Path root() {
    return fixturesDir().resolve("baileys");
  }

  /** The repository's root, where {@code test-fixtures/} and {@code whatsapp-loopback/} are. */
  public static Path repository() {
    return fixturesDir().getParent();
  }

  private static Path fixturesDir() {
    String dir = System.getProperty("vigia.fixtures.dir");
    if (dir == null) {
      throw new IllegalStateException("vigia.fixtures.dir is not set: run the tests through Maven,"
          + " whose parent pom points it at the repository's test-fixtures/");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }
}
