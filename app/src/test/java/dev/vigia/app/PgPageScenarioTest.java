package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link PageScenarioTest} with every store in PostgreSQL. */
class PgPageScenarioTest extends PageScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
