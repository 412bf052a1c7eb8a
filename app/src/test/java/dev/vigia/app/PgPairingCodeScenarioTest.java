package dev.vigia.app;

/** {@link PairingCodeScenarioTest} with every store in PostgreSQL. */
class PgPairingCodeScenarioTest extends PairingCodeScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
