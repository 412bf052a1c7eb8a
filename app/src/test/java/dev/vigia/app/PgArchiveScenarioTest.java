package dev.vigia.app;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link ArchiveScenarioTest} with every store in PostgreSQL: the archives are rows, listed,
 * restored and refused as the files are; the data dir keeps none of it.
 */
class PgArchiveScenarioTest extends ArchiveScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }

  @AfterEach
  void theDataDirHoldsOnlyTheLock() throws Exception {
    PgSpineScenarioTest.assertHoldsOnlyTheLock(data);
  }
}
