package dev.vigia.app;

/** {@link PageScenarioTest} with every store in PostgreSQL. */
class PgPageScenarioTest extends PageScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
