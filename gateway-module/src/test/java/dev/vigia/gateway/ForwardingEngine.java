package dev.vigia.gateway;

import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import java.util.List;

/** An engine that does what the one it wraps does; a test overrides what it watches or holds. */
class ForwardingEngine implements Engine {

  final Engine engine;

  ForwardingEngine(Engine engine) {
    this.engine = engine;
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public EngineSession open(RunAuthState auth, EngineListener listener) {
    return engine.open(auth, listener);
  }

  @Override
  public KeyRange contactSessions(String contact) {
    return engine.contactSessions(contact);
  }

  @Override
  public Future<List<KeyRange>> contactSessions(String contact, KeyReader keys) {
    return engine.contactSessions(contact, keys);
  }

  @Override
  public Future<Void> ready() {
    return engine.ready();
  }

  @Override
  public Future<Void> restart() {
    return engine.restart();
  }

  @Override
  public Future<Void> close() {
    return engine.close();
  }
}
