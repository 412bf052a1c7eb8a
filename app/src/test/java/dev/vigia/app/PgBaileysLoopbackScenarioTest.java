package dev.vigia.app;

/**
 * {@link BaileysLoopbackScenarioTest} with every store in PostgreSQL: the real Baileys links,
 * logs in again after a restart, is repaired, logged out and imported with its auth state in
 * the database.
 */
class PgBaileysLoopbackScenarioTest extends BaileysLoopbackScenarioTest
    implements TestStore.OnPostgres {}
