package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link AccessScenarioTest} with every store in PostgreSQL: refusals write no row either. */
class PgAccessScenarioTest extends AccessScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
