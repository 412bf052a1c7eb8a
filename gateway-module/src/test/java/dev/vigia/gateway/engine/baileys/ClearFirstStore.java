package dev.vigia.gateway.engine.baileys;

import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import dev.vigia.common.gateway.ArchivedState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plays issue 7's race: when an engine writes creds, a clear lands first (between the engine's
 * go-ahead for the write and the write itself), then the write goes on to the real store.
 * {@link #written} completes with whether that write succeeded.
 */
final class ClearFirstStore implements AuthStateStore {

  final Promise<Boolean> written = Promise.promise();
  private final AuthStateStore store;
  private final Supplier<Future<?>> clear;

  ClearFirstStore(AuthStateStore store, Supplier<Future<?>> clear) {
    this.store = store;
    this.clear = clear;
  }

  private Future<Void> afterClear(Supplier<Future<Void>> write) {
    return clear.get().compose(v -> write.get())
        .onComplete(ar -> written.tryComplete(ar.succeeded()));
  }

  @Override
  public Future<Void> writeCreds(String org, JsonObject creds) {
    return afterClear(() -> store.writeCreds(org, creds));
  }

  @Override
  public Future<AuthStateWriter> openWriter(String org) {
    return store.openWriter(org).map(writer -> new AuthStateWriter() {
      @Override
      public String org() {
        return writer.org();
      }

      @Override
      public long epoch() {
        return writer.epoch();
      }

      @Override
      public Future<Void> writeCreds(JsonObject creds) {
        return afterClear(() -> writer.writeCreds(creds));
      }

      @Override
      public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
        return writer.setKeys(batch);
      }

      @Override
      public void revoke() {
        writer.revoke();
      }

      @Override
      public boolean isRevoked() {
        return writer.isRevoked();
      }
    });
  }

  @Override
  public Future<Void> probe() {
    return store.probe();
  }

  @Override
  public Future<JsonObject> readCreds(String org) {
    return store.readCreds(org);
  }

  @Override
  public Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids) {
    return store.getKeys(org, type, ids);
  }

  @Override
  public Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    return store.setKeys(org, batch);
  }

  @Override
  public Future<List<String>> keyIds(String org, String type, String idPrefix) {
    return store.keyIds(org, type, idPrefix);
  }

  @Override
  public Future<String> clear(String org, String reason, String actor) {
    return store.clear(org, reason, actor);
  }

  @Override
  public Future<List<ArchivedState>> archives(String org) {
    return store.archives(org);
  }

  @Override
  public Future<ArchivedState> restore(String org, String archiveId) {
    return store.restore(org, archiveId);
  }

  @Override
  public Future<Integer> purgeArchives(Instant olderThan) {
    return store.purgeArchives(olderThan);
  }

  @Override
  public Future<List<StoredSession>> list() {
    return store.list();
  }

  @Override
  public Future<ImportReport> importBaileysFolder(String org, Path folder) {
    return store.importBaileysFolder(org, folder);
  }
}
