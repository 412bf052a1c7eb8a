package dev.vigia.gateway.session;

import io.vertx.core.Future;
import java.util.List;

/** Where the gateway keeps one {@link SessionRecord} per org. Safe to call from an event loop. */
public interface SessionRecordStore {

  /** Every record, in no particular order. */
  Future<List<SessionRecord>> loadAll();

  /** Replaces the org's record; on a crash the old or the new one remains, never half. */
  Future<Void> save(SessionRecord record);

  /** Removes the org's record (nothing to do when there is none). */
  Future<Void> delete(String org);
}
