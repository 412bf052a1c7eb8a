package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.ReadinessQuery;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.SessionRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    List<Future<Void>> saved = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      String org = "org-" + i;
      String jid = String.format("52155%08d:1@s.whatsapp.net", i);
      saved.add(gw.store.writeCreds(org, new JsonObject().put("registered", true)
          .put("me", new JsonObject().put("id", jid).put("name", "n"))));
      saved.add(gw.records.save(new SessionRecord(org, SessionState.CONNECTED, at, null,
          new SessionView.Me(jid, "n"), at, null, true, 3)));
    }
    GatewayFixture.await(Future.all(saved));
    CountingEngine engine = new CountingEngine(
        new SimulatedEngine(vertx, gw.config.sim(), gw.whatsApp, gw.clock));
    gw.deploy(engine);
    awaitRestored(gw);

    gw.undeploy();

    assertEquals(SESSIONS, engine.closed.get(), "every run was ended");
    // a task queued on the gateway's loop by the first close ran while runs were still open
    assertTrue(!engine.seenBetween.isEmpty() && engine.seenBetween.get(0) < SESSIONS,
        "the loop ran nothing else until every run had ended: closes seen by queued tasks "
            + engine.seenBetween);
  }

  private static void awaitRestored(GatewayFixture gw) {
    Readiness r = null;
    for (int i = 0; i < 400; i++) {
      r = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
      if (r.restoring() == null) {
        return;
      }
      GatewayFixture.await(Future.future(p -> gw.vertx.setTimer(50, t -> p.complete())));
    }
    throw new AssertionError("the restore never finished: " + r);
  }

  /** Counts closes; the first one queues a task on the closing loop that notes the count then. */
  private static final class CountingEngine implements Engine {
    final Engine engine;
    final AtomicInteger closed = new AtomicInteger();
    final List<Integer> seenBetween = new CopyOnWriteArrayList<>();

    CountingEngine(Engine engine) {
      this.engine = engine;
    }

    @Override
    public String name() {
      return engine.name();
    }

    @Override
    public EngineSession open(RunAuthState auth, EngineListener listener) {
      EngineSession session = engine.open(auth, listener);
      return new EngineSession() {
        @Override
        public Future<Void> start(String pairingPhone) {
          return session.start(pairingPhone);
        }

        @Override
        public Future<SendReceipt> send(String to, String text, String idempotencyKey) {
          return session.send(to, text, idempotencyKey);
        }

        @Override
        public Future<Void> logout() {
          return session.logout();
        }

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

    @Override
    public KeyRange contactSessions(String contact) {
      return engine.contactSessions(contact);
    }

    @Override
    public Future<Void> close() {
      return engine.close();
    }
  }
}
