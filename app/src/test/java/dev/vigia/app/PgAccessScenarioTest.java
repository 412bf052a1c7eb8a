package dev.vigia.app;

/** {@link AccessScenarioTest} with every store in PostgreSQL: refusals write no row either. */
class PgAccessScenarioTest extends AccessScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
