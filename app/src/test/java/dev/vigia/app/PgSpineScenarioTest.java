package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link SpineScenarioTest} with every store in PostgreSQL. */
class PgSpineScenarioTest extends SpineScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
