package dev.vigia.common.pg;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigía's PostgreSQL database, opened once at start and shared by every PostgreSQL store: the
 * schema migrated first (on a worker, over JDBC), then one reactive pool. A store gets the
 * {@link #pool()}; its futures complete on the context that called.
 */
public final class PgDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(PgDatabase.class);

  private final PgSettings settings;
  private final Pool pool;

  private PgDatabase(PgSettings settings, Pool pool) {
    this.settings = settings;
    this.pool = pool;
  }

  /**
   * Migrates the schema, opens a pool of at most {@code poolSize} connections and checks that
   * the server stores text as UTF-8 (Baileys' JSON must come back byte for byte). Fails with a
   * {@link PgUnavailableException} when any of it cannot be done.
   */
  public static Future<PgDatabase> open(Vertx vertx, PgSettings settings, int poolSize) {
    return vertx.executeBlocking(() -> PgSchema.migrate(settings), false)
        .compose(applied -> {
          if (applied > 0) {
            LOG.info("PostgreSQL {}: {} schema version(s) applied", settings.where(), applied);
          }
          Pool pool = PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(poolSize).setName("vigia-pg")
                  // a store call waits at most this long for a connection, then fails with a cause
                  .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS))
              .with(new NetClientOptions().setConnectTimeout(10_000))
              .connectingTo(settings.connectOptions())
              .using(vertx)
              .build();
          return pool.query("SHOW server_encoding").execute()
              .transform(ar -> {
                if (ar.failed()) {
                  return pool.close().transform(ignored -> Future.failedFuture(
                      PgUnavailableException.of(settings, "cannot connect", ar.cause())));
                }
                Row row = ar.result().iterator().next();
                String encoding = row.getString(0);
                if (!"UTF8".equalsIgnoreCase(encoding)) {
                  return pool.close().transform(ignored -> Future.failedFuture(
                      new PgUnavailableException("PostgreSQL " + settings.where()
                          + " (VIGIA_PG_URL): the database's encoding is " + encoding
                          + "; create it with ENCODING 'UTF8'", null)));
                }
                LOG.info("PostgreSQL {} ready (pool of {})", settings.where(), poolSize);
                return Future.succeededFuture(new PgDatabase(settings, pool));
              });
        });
  }

  public Pool pool() {
    return pool;
  }

  public PgSettings settings() {
    return settings;
  }

  public Future<Void> close() {
    return pool.close();
  }
}
