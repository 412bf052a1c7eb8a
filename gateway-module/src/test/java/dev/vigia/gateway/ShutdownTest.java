package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 (found by the 50,000-session benchmark): stopping the gateway ended every run in one
 * event-loop task, joined by one future, and held the loop 15.8 s; the stop timed out. The runs
 * now end in batches, and the loop serves other work between them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ShutdownTest {

  /** More runs than one batch holds, several times over. */
  static final int SESSIONS = 4 * EngineRuns.SHUTDOWN_BATCH + 7;

  @TempDir
  Path dataDir;

  @Test
  void stoppingManySessionsLetsTheEventLoopServeOtherWorkBetweenBatches(Vertx vertx) {
    GatewayFixture gw = GatewayFixture.linking(vertx, dataDir);
    LinkedSessions.seed(gw, SESSIONS);
    CountingEngine engine = new CountingEngine(
        new SimulatedEngine(vertx, gw.config.sim(), gw.whatsApp, gw.clock));
    gw.deploy(engine);
    LinkedSessions.awaitRestored(gw);

    gw.undeploy();
    GatewayFixture.await(gw.records.close()); // its files written before the temp dir goes

    assertEquals(SESSIONS, engine.closed.get(), "every run was ended");
    // a task queued on the gateway's loop by the first close ran while runs were still open
    assertTrue(!engine.seenBetween.isEmpty() && engine.seenBetween.get(0) < SESSIONS,
        "the loop ran nothing else until every run had ended: closes seen by queued tasks "
            + engine.seenBetween);
  }

  /** Counts closes; the first one queues a task on the closing loop that notes the count then. */
  private static final class CountingEngine extends ForwardingEngine {
    final AtomicInteger closed = new AtomicInteger();
    final List<Integer> seenBetween = new CopyOnWriteArrayList<>();

    CountingEngine(Engine engine) {
      super(engine);
    }

    @Override
    public EngineSession open(RunAuthState auth, EngineListener listener) {
      EngineSession session = engine.open(auth, listener);
      return new ForwardingSession(session) {
        @Override
        public Future<Void> close() {
          if (closed.incrementAndGet() == 1) {
            Context loop = Vertx.currentContext();
            loop.runOnContext(v -> seenBetween.add(closed.get()));
          }
          return session.close();
        }
      };
    }
  }
}
