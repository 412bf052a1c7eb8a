package dev.vigia.app;

/** {@link OrgLogScenarioTest} with every store in PostgreSQL. */
class PgOrgLogScenarioTest extends OrgLogScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
