package dev.vigia.gateway.engine;

import io.vertx.core.Future;

/**
 * A WhatsApp engine: opens connections for orgs. The gateway owns one engine; an engine reads an
 * org's auth state and writes it only through the {@link RunAuthState} of the session's run.
 */
public interface Engine {

  /** {@code simulated} or {@code baileys}. */
  String name();

  /**
   * Prepares a connection for {@code auth.org()}; nothing happens until
   * {@link EngineSession#start}. Events for this session go to {@code listener} on the context
   * this is called on (the gateway's).
   */
  EngineSession open(RunAuthState auth, EngineListener listener);

  /**
   * Where this engine keeps one contact's Signal sessions (the keys a repair deletes, so the next
   * message from that contact starts a fresh session); {@code contact} is a jid's user part.
   */
  KeyRange contactSessions(String contact);

  /** Readiness: succeeds when the engine can open sessions (the simulated one always can). */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /** Stops the engine and every session it holds. */
  Future<Void> close();
}
