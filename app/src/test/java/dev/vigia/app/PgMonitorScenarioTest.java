package dev.vigia.app;

/**
 * {@link MonitorScenarioTest} with every store in PostgreSQL: the journal, the daily stats, the
 * alert cooldowns (claimed in the database) and the archive rows.
 */
class PgMonitorScenarioTest extends MonitorScenarioTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
