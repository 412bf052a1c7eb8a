package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** One run's writes: checked for revocation in the org's serialized step, before the log. */
final class FileWriter implements AuthStateWriter {

  /** One of the store's writes, done on behalf of a writer. */
  interface Write<T> {
    Future<Void> write(String org, T value, FileWriter writer);
  }

  private final String org;
  private final long epoch;
  private final Write<JsonObject> creds;
  private final Write<Map<String, Map<String, String>>> keys;
  private volatile boolean revoked;

  FileWriter(String org, long epoch, Write<JsonObject> creds,
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
  public Future<Void> writeCreds(JsonObject creds) {
    return this.creds.write(org, creds, this);
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

  /** Throws when revoked: nothing of the write is done. */
  void check() {
    if (revoked) {
      throw new AuthStateException(Kind.REVOKED, "the session run of organization " + org
          + " (epoch " + epoch + ") is over; nothing was written");
    }
  }
}
