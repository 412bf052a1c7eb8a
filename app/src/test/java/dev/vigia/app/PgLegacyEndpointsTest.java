package dev.vigia.app;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;

/** {@link LegacyEndpointsTest} with every store in PostgreSQL. */
class PgLegacyEndpointsTest extends LegacyEndpointsTest {

  final PgSettings db = TestPostgres.newDatabase();

  @Override
  TestStore store() {
    return TestStore.postgres(db);
  }
}
