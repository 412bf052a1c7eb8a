package dev.vigia.gateway.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The auth-state writes of one run of one org's session (DESIGN §7). An engine gets one when the
 * session starts and writes only through it. Closing, clearing or logging out the session revokes
 * it: from then on every write fails with {@link AuthStateException.Kind#REVOKED} and creates
 * nothing, so a late write of a finished run can never bring a cleared session back.
 *
 * <p>The epoch grows with every writer opened for the org; in cluster mode it is the fencing
 * token a store checks before it accepts a write.
 */
public interface AuthStateWriter {

  String org();

  /**
   * Greater than the epoch of every writer opened for this org before (the file store counts
   * within its process, which alone holds the data dir; a shared store counts in the database).
   */
  long epoch();

  /** As {@link AuthStateStore#writeCreds}, unless revoked. */
  Future<Void> writeCreds(JsonObject creds);

  /** As {@link AuthStateStore#setKeys}, unless revoked. */
  Future<Void> setKeys(Map<String, Map<String, String>> batch);

  /**
   * No write of this writer runs after this returns (one already running finishes first; the
   * store orders it before any later clear of the org).
   */
  void revoke();

  boolean isRevoked();
}
