package dev.vigia.app;

/**
 * {@link ArchiveLoopbackScenarioTest} with every store in PostgreSQL: the archive a clear and a
 * 401 leave is rows in the database, and a restore brings the real Baileys login back from them.
 */
class PgArchiveLoopbackScenarioTest extends ArchiveLoopbackScenarioTest
    implements TestStore.OnPostgres {}
