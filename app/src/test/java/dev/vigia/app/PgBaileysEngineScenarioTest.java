package dev.vigia.app;

/**
 * {@link BaileysEngineScenarioTest} with every store in PostgreSQL: the real bridge's fresh creds
 * land in the database, and the monitor reconnects after the drop.
 */
class PgBaileysEngineScenarioTest extends BaileysEngineScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
