package dev.vigia.gateway.engine;

import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;

/**
 * A WhatsApp engine: opens connections for orgs. The gateway owns one engine; the engine reads and
 * writes auth state only through the given store.
 */
public interface Engine {

  /** {@code simulated} or {@code baileys}. */
  String name();

  /**
   * Prepares a connection for {@code org}; nothing happens until {@link EngineSession#start}.
   * Events for this session go to {@code listener}, on the caller's context.
   */
  EngineSession open(String org, AuthStateStore store, EngineListener listener);

  /** Readiness: succeeds when the engine can open sessions (the simulated one always can). */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /** Stops the engine and every session it holds. */
  Future<Void> close();
}
