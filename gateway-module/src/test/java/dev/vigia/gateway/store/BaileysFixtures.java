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

  private static Path root() {
    String dir = System.getProperty("vigia.fixtures.dir");
    if (dir == null) {
      throw new IllegalStateException("vigia.fixtures.dir is not set: run the tests through Maven,"
          + " whose parent pom points it at the repository's test-fixtures/");
    }
    return Path.of(dir, "baileys");
  }
}
