package dev.vigia.gateway.store.pg;

import dev.vigia.gateway.store.RunWriter;
import dev.vigia.gateway.store.AuthStateException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One auth-state write: a transaction that starts with the writer's fence (when there is a
 * writer; else the org's row is made sure of), then the statements of the write, committed only
 * if all succeed. The statements are pipelined (sent without waiting for each answer), so a
 * write costs one round trip between BEGIN and COMMIT, not one per statement.
 */
final class WriteTransaction {

  private WriteTransaction() {}

  /** The database holds {@code current} (null: the org's row is gone) instead of this epoch. */
  private static AuthStateException superseded(RunWriter writer, Long current) {
    return new AuthStateException(AuthStateException.Kind.REVOKED, "the session run of"
        + " organization " + writer.org() + " (epoch " + writer.epoch() + ") was replaced"
        + (current == null ? "" : " by epoch " + current) + "; nothing was written");
  }

  static Future<Void> run(Pool pool, String org, RunWriter writer,
      Function<SqlConnection, List<Future<?>>> body) {
    if (writer != null && writer.isRevoked()) {
      return Future.failedFuture(writer.revokedFailure());
    }
    return pool.withTransaction(conn -> {
      List<Future<?>> sent = new ArrayList<>(4);
      sent.add(writer == null
          ? conn.preparedQuery(AuthSql.ENSURE_ORG).execute(Tuple.of(org))
          : conn.preparedQuery(AuthSql.CURRENT_EPOCH).execute(Tuple.of(org)).compose(rows -> {
            // FOR SHARE: a newer run's epoch update waits for this commit, or this sees it
            Long current = rows.size() == 0 ? null : rows.iterator().next().getLong(0);
            if (current == null || current != writer.epoch()) {
              writer.revoke();
              return Future.failedFuture(superseded(writer, current));
            }
            return Future.succeededFuture();
          }));
      sent.addAll(body.apply(conn));
      // the first failure in the order sent: later statements only fail because it did
      return Future.join(sent).transform(ignored -> {
        for (Future<?> statement : sent) {
          if (statement.failed()) {
            return Future.failedFuture(statement.cause());
          }
        }
        return Future.succeededFuture();
      });
    });
  }
}
