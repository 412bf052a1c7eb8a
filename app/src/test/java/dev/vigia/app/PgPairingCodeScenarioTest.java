package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link PairingCodeScenarioTest} with every store in PostgreSQL. */
class PgPairingCodeScenarioTest extends PairingCodeScenarioTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
