package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/**
 * {@link MonitorScenarioTest} with every store in PostgreSQL: the journal, the daily stats, the
 * alert cooldowns (claimed in the database) and the archive rows.
 */
class PgMonitorScenarioTest extends MonitorScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
