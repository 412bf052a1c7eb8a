package dev.vigia.gateway.store;

import dev.vigia.gateway.store.AuthStateException.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The {@link AuthStateWriter} of every store: the org, the epoch the store gave the run, the
 * revoked flag, and the store's own writes, which call {@link #check()} in the org's turn (the
 * file store before its log append, PostgreSQL before its transaction), so a write that waits
 * behind others is refused if the run ended meanwhile.
 */
public final class RunWriter implements AuthStateWriter {

  /** One of the store's writes, done on behalf of a writer. */
  @FunctionalInterface
  public interface Write<T> {
    Future<Void> write(String org, T value, RunWriter writer);
  }

  private final String org;
  private final long epoch;
  private final Write<JsonObject> creds;
  private final Write<Map<String, Map<String, String>>> keys;
  private volatile boolean revoked;

  public RunWriter(String org, long epoch, Write<JsonObject> creds,
      Write<Map<String, Map<String, String>>> keys) {
    this.org = org;
    this.epoch = epoch;
    this.creds = creds;
    this.keys = keys;
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
  public Future<Void> writeCreds(JsonObject value) {
    return creds.write(org, value, this);
  }

  @Override
  public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
    return keys.write(org, batch, this);
  }

  @Override
  public void revoke() {
    revoked = true;
  }

  @Override
  public boolean isRevoked() {
    return revoked;
  }

  /** Throws {@link Kind#REVOKED} when revoked: nothing of the write may be done. */
  public void check() {
    if (revoked) {
      throw revokedFailure();
    }
  }

  public AuthStateException revokedFailure() {
    return new AuthStateException(Kind.REVOKED, "the session run of organization " + org
        + " (epoch " + epoch + ") is over; nothing was written");
  }
}
