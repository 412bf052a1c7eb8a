package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link OrgLogScenarioTest} with every store in PostgreSQL. */
class PgOrgLogScenarioTest extends OrgLogScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
