package dev.vigia.common.pg;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigía's PostgreSQL database, shared by every PostgreSQL store: one reactive pool (it connects
 * on first use, so stores can be built at once), and {@link #open()}, which start-up awaits
 * before anything uses it: the schema migrated (on a worker, over JDBC), then the pool checked.
 * A store's futures complete on the context that called it.
 */
public final class PgDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(PgDatabase.class);

  private final Vertx vertx;
  private final PgSettings settings;
  private final Pool pool;
  private final int poolSize;

  private PgDatabase(Vertx vertx, PgSettings settings, int poolSize) {
    this.vertx = vertx;
    this.settings = settings;
    this.poolSize = poolSize;
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("vigia-pg")
            // a store call waits at most this long for a connection, then fails with a cause
            .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new NetClientOptions().setConnectTimeout(10_000))
        .connectingTo(settings.connectOptions())
        .using(vertx)
        .build();
  }

  /** A pool of at most {@code poolSize} connections; nothing is connected yet. */
  public static PgDatabase create(Vertx vertx, PgSettings settings, int poolSize) {
    return new PgDatabase(vertx, settings, poolSize);
  }

  /**
   * Migrates the schema and checks that the server stores text as UTF-8 (Baileys' JSON must
   * come back byte for byte). Fails with a {@link PgUnavailableException} (one line) when any of
   * it cannot be done.
   */
  public Future<Void> open() {
    return vertx.executeBlocking(() -> PgSchema.migrate(settings), false)
        .compose(applied -> {
          if (applied > 0) {
            LOG.info("PostgreSQL {}: {} schema version(s) applied", settings.where(), applied);
          }
          return pool.query("SHOW server_encoding").execute().transform(ar -> {
            if (ar.failed()) {
              return Future.failedFuture(
                  PgUnavailableException.of(settings, "cannot connect", ar.cause()));
            }
            String encoding = ar.result().iterator().next().getString(0);
            if (!"UTF8".equalsIgnoreCase(encoding)) {
              return Future.failedFuture(new PgUnavailableException("PostgreSQL "
                  + settings.where() + " (VIGIA_PG_URL): the database's encoding is " + encoding
                  + "; create it with ENCODING 'UTF8'", null));
            }
            LOG.info("PostgreSQL {} ready (pool of {})", settings.where(), poolSize);
            return Future.succeededFuture();
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
