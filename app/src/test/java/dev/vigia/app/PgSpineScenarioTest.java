package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link SpineScenarioTest} with every store in PostgreSQL; afterwards the data dir holds no
 * state, only this machine's lock.
 */
class PgSpineScenarioTest extends SpineScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }

  /**
   * The lock and, while the server runs, {@code server.json} (its address, for the command-line
   * tools; removed at stop): this machine's, not state.
   */
  @AfterEach
  void theDataDirHoldsOnlyTheLock() throws Exception {
    assertHoldsOnlyTheLock(data);
  }

  static void assertHoldsOnlyTheLock(Path data) throws Exception {
    List<String> files;
    try (Stream<Path> all = Files.walk(data)) {
      files = all.filter(Files::isRegularFile).map(p -> data.relativize(p).toString())
          .filter(name -> !name.equals("server.json")).sorted().toList();
    }
    assertEquals(List.of("vigia.lock"), files, "with PostgreSQL the data dir keeps no state");
  }
}
