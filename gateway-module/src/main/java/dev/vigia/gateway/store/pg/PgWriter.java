package dev.vigia.gateway.store.pg;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The writes of one session run, with the epoch the database gave it. Revoked here (close, clear,
 * logout, a newer run in this process), it refuses at once; replaced elsewhere (another process
 * opened a newer run), the database refuses it inside the write's transaction.
 */
final class PgWriter implements AuthStateWriter {

  private final PgAuthStateStore store;
  private final String org;
  private final long epoch;
  private volatile boolean revoked;

  PgWriter(PgAuthStateStore store, String org, long epoch) {
    this.store = store;
    this.org = org;
    this.epoch = epoch;
  }

  @Override
  public String org() {
    return org;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public Future<Void> writeCreds(JsonObject creds) {
    return store.writeCreds(org, creds, this);
  }

  @Override
  public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
    return store.setKeys(org, batch, this);
  }

  @Override
  public void revoke() {
    revoked = true;
  }

  @Override
  public boolean isRevoked() {
    return revoked;
  }

  AuthStateException revokedFailure() {
    return new AuthStateException(Kind.REVOKED, "the session run of organization " + org
        + " (epoch " + epoch + ") is over; nothing was written");
  }

  /** The database holds {@code current} (null: the org's row is gone) instead of this epoch. */
  AuthStateException supersededFailure(Long current) {
    return new AuthStateException(Kind.REVOKED, "the session run of organization " + org
        + " (epoch " + epoch + ") was replaced"
        + (current == null ? "" : " by epoch " + current) + "; nothing was written");
  }
}
