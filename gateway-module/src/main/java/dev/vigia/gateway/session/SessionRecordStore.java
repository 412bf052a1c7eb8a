package dev.vigia.gateway.session;

import io.vertx.core.Future;
import java.util.List;

/** Where the gateway keeps one {@link SessionRecord} per org. Safe to call from an event loop. */
public interface SessionRecordStore {

  /** Every record, in no particular order. */
  Future<List<SessionRecord>> loadAll();

  /** The org's record, or null (cluster mode: a node reads an org's record as it takes it). */
  default Future<SessionRecord> load(String org) {
    return loadAll().map(all -> all.stream().filter(r -> r.org().equals(org)).findFirst()
        .orElse(null));
  }

  /** Replaces the org's record; on a crash the old or the new one remains, never half. */
  Future<Void> save(SessionRecord record);

  /** Removes the org's record (nothing to do when there is none). */
  Future<Void> delete(String org);
}
