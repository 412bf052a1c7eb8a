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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A store that notes each call ({@code "creds.read <org>"}, …) and then delegates; a test can
 * make its creds writes fail, or have something land first (issue 7's race: a clear between the
 * engine's go-ahead for a write and the write itself).
 */
final class RecordingStore implements AuthStateStore {

  final List<String> calls = new CopyOnWriteArrayList<>();
  /** Set: every creds write fails, as a full disk or a revoked writer would. */
  volatile boolean refuseCredsWrites;
  /** Runs before each creds write, which then goes on to the real store. */
  volatile Supplier<Future<?>> beforeCredsWrite = Future::succeededFuture;
  /** Completes with whether the first creds write succeeded. */
  final Promise<Boolean> firstCredsWrite = Promise.promise();
  private final AuthStateStore store;

  RecordingStore(AuthStateStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> probe() {
    return store.probe();
  }

  @Override
  public Future<JsonObject> readCreds(String org) {
    calls.add("creds.read " + org);
    return store.readCreds(org);
  }

  @Override
  public Future<Void> writeCreds(String org, JsonObject creds) {
    return credsWrite(org, () -> store.writeCreds(org, creds));
  }

  private Future<Void> credsWrite(String org, Supplier<Future<Void>> write) {
    calls.add("creds.write " + org);
    Future<Void> written = refuseCredsWrites
        ? Future.failedFuture(new java.io.IOException("No space left on device"))
        : beforeCredsWrite.get().compose(v -> write.get());
    return written.onComplete(ar -> firstCredsWrite.tryComplete(ar.succeeded()));
  }

  /** The run's writes are noted as the store's are ({@code "creds.write <org>"}, …). */
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
        return credsWrite(org, () -> writer.writeCreds(creds));
      }

      @Override
      public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
        calls.add("keys.set " + org + " " + batch.keySet());
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
  public Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids) {
    calls.add("keys.get " + org + " " + type);
    return store.getKeys(org, type, ids);
  }

  @Override
  public Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    calls.add("keys.set " + org + " " + batch.keySet());
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
