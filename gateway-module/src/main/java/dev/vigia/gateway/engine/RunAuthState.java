package dev.vigia.gateway.engine;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The auth state as one run of one org's session sees it (DESIGN §7): Baileys' boundary, with
 * reads from the store and writes only through the run's {@link AuthStateWriter}. The gateway
 * revokes the writer when it closes, clears or logs out the session, so a write that arrives
 * after that creates nothing (issue 7: a late creds write re-created a cleared session). A write
 * refused although the gateway had not ended the run means a newer run holds the org (another
 * process, or in a cluster the node that took the lease over): {@link #onSuperseded} is told, once,
 * and the gateway stops this run. Safe to use from any thread.
 */
public final class RunAuthState {

  private final AuthStateStore store;
  private final AuthStateWriter writer;
  private final AtomicBoolean superseded = new AtomicBoolean();
  private volatile boolean endedByGateway;
  private volatile Runnable onSuperseded = () -> { };
  /**
   * The credentials the opener has just read, answered by the first {@link #readCreds} instead of
   * a second read of the same file (a restore read them to decide whether to start the run).
   */
  private final AtomicReference<JsonObject> readByOpener = new AtomicReference<>();

  public RunAuthState(AuthStateStore store, AuthStateWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  /**
   * {@code action} runs once, on the thread the refusal completes on, when a write is refused
   * because a newer run of the org holds it (not because the gateway ended this run).
   */
  public void onSuperseded(Runnable action) {
    this.onSuperseded = action;
  }

  /** A new run for {@code org}: its writer revokes the writers of every earlier run. */
  public static Future<RunAuthState> open(AuthStateStore store, String org) {
    return open(store, org, null);
  }

  /**
   * As {@link #open(AuthStateStore, String)}, with {@code creds} the caller read from the store
   * after every write of earlier runs had landed (null: none known): the run's first
   * {@link #readCreds} answers them without reading the file again.
   */
  public static Future<RunAuthState> open(AuthStateStore store, String org, JsonObject creds) {
    return store.openWriter(org).map(writer -> {
      RunAuthState run = new RunAuthState(store, writer);
      run.readByOpener.set(creds);
      return run;
    });
  }

  public String org() {
    return writer.org();
  }

  /** The run's writer epoch (the fencing token in cluster mode). */
  public long epoch() {
    return writer.epoch();
  }

  /** {@code creds.json}, or {@code null} when there is none. */
  public Future<JsonObject> readCreds() {
    JsonObject known = readByOpener.getAndSet(null);
    return known != null ? Future.succeededFuture(known) : store.readCreds(writer.org());
  }

  public Future<Map<String, String>> getKeys(String type, Collection<String> ids) {
    return store.getKeys(writer.org(), type, ids);
  }

  /** Fails with {@code AuthStateException.Kind.REVOKED}, writing nothing, once the run is over. */
  public Future<Void> writeCreds(JsonObject creds) {
    readByOpener.set(null); // from now on the store has newer ones
    return watched(writer.writeCreds(creds));
  }

  /** Fails with {@code AuthStateException.Kind.REVOKED}, writing nothing, once the run is over. */
  public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
    return watched(writer.setKeys(batch));
  }

  /** Ends the run's writes: none runs after this returns. Only the gateway calls this. */
  public void revoke() {
    endedByGateway = true;
    writer.revoke();
  }

  private Future<Void> watched(Future<Void> write) {
    return write.onFailure(e -> {
      if (!endedByGateway && e instanceof AuthStateException refused
          && refused.kind() == AuthStateException.Kind.REVOKED
          && superseded.compareAndSet(false, true)) {
        onSuperseded.run();
      }
    });
  }

  public boolean isRevoked() {
    return writer.isRevoked();
  }
}
