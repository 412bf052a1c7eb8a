package dev.vigia.gateway.store.pg;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore.ImportReport;
import dev.vigia.gateway.store.file.BaileysFolder;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A checked Baileys folder into PostgreSQL: one transaction, only into an org without state. */
final class BaileysImport {

  private static final Logger LOG = LoggerFactory.getLogger(BaileysImport.class);

  private BaileysImport() {}

  /** {@code files}: file name to text, as {@link BaileysFolder#read} returns them. */
  static Future<ImportReport> into(Pool pool, String org, Map<String, String> files,
      OffsetDateTime now) {
    List<String> types = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<String> values = new ArrayList<>();
    Map<String, Integer> byType = new TreeMap<>();
    for (Map.Entry<String, String> file : files.entrySet()) {
      BaileysFolder.Key key = BaileysFolder.keyOf(file.getKey());
      byType.merge(key == null ? "creds" : key.type(), 1, Integer::sum);
      if (key != null) {
        types.add(key.type());
        ids.add(key.id());
        values.add(file.getValue());
      }
    }
    String creds = files.get(BaileysFolder.CREDS);
    return pool.withTransaction(conn -> conn.preparedQuery(AuthSql.ENSURE_ORG)
        .execute(Tuple.of(org))
        .compose(v -> conn.preparedQuery(AuthSql.IMPORT_STATE).execute(Tuple.of(org, creds, now)))
        .compose(taken -> {
          if (taken.size() == 0) {
            return Future.failedFuture(new AuthStateException(Kind.CONFLICT, "organization " + org
                + " already has auth state; clear it before importing; nothing was imported"));
          }
          return types.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(AuthSql.SET_KEYS)
              .execute(Tuple.of(org, types.toArray(String[]::new), ids.toArray(String[]::new),
                  values.toArray(String[]::new)));
        }))
        .map(v -> {
          OrgMdc.run(org, () -> LOG.info("imported {} files into the auth state of org {}: {}",
              files.size(), org, byType));
          return new ImportReport(org, files.size(), byType);
        });
  }
}
