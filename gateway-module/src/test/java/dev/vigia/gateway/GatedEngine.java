package dev.vigia.gateway;

import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine whose session starts wait until the test opens the gate (as Baileys' would while
 * Node installs or WhatsApp is slow to answer), then run on the engine it wraps.
 */
final class GatedEngine extends ForwardingEngine {

  private final Promise<Void> gate = Promise.promise();
  private final AtomicInteger waiting = new AtomicInteger();

  GatedEngine(Engine engine) {
    super(engine);
  }

  /** Lets every waiting and later start through. */
  void open() {
    gate.tryComplete();
  }

  /** Starts now waiting at the gate. */
  int waiting() {
    return waiting.get();
  }

  @Override
  public EngineSession open(RunAuthState auth, EngineListener listener) {
    EngineSession session = engine.open(auth, listener);
    return new ForwardingSession(session) {
      @Override
      public Future<Void> start(String pairingPhone) {
        waiting.incrementAndGet();
        return gate.future().compose(v -> {
          waiting.decrementAndGet();
          return session.start(pairingPhone);
        });
      }
    };
  }

  @Override
  public Future<Void> close() {
    gate.tryComplete();
    return engine.close();
  }
}
