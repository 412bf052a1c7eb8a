package dev.vigia.app;

/** {@link LegacyEndpointsTest} with every store in PostgreSQL. */
class PgLegacyEndpointsTest extends LegacyEndpointsTest {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }
}
