package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.EngineRestartRequest;
import dev.vigia.common.gateway.EngineRestartResult;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.session.Operation;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator restarts the engine (the old {@code pm2 restart whatsapp-server}): each org with an
 * open session has its run ended, its journal told who restarted, and goes {@code RECONNECTING}
 * with {@link Cause#ENGINE_RESTART} (the monitor reconnects at once, without an alert); then the
 * engine restarts. Connects wait for the restart ({@link #finished()}), so none opens on the
 * engine being replaced. One restart at a time. Used on the owning context.
 */
final class EngineRestart {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestart.class);
  /** How long the reply waits for the engine to answer again (a Node start is a second or two). */
  static final long READY_TIMEOUT_MS = 30_000;

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final EngineRuns runs;
  private final Engine engine;
  private Promise<Void> underWay;

  EngineRestart(OwningContext owner, KeyedQueue queue, SessionTable table, EngineRuns runs,
      Engine engine) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.runs = runs;
    this.engine = engine;
  }

  /** Completes once no restart is under way (at once when there is none); never fails. */
  Future<Void> finished() {
    return underWay == null ? Future.succeededFuture() : underWay.future();
  }

  Future<EngineRestartResult> restart(EngineRestartRequest r) {
    owner.check("engine restart");
    if (underWay != null) {
      return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
          "an engine restart is already under way; wait for it to finish"));
    }
    String actor = RequestChecks.actor(r.actor());
    Promise<Void> gate = Promise.promise();
    underWay = gate;
    Cause cause = new Cause(null, Cause.ENGINE_RESTART,
        "The WhatsApp engine was restarted by " + actor);
    String reason = r.reason() == null || r.reason().isBlank() ? "" : " (" + r.reason() + ")";
    LOG.info("engine {} restart requested by {}{}", engine.name(), actor, reason);
    List<Future<String>> closing = new ArrayList<>();
    for (String org : runs.orgsWithRuns()) {
      closing.add(queue.run(org, () -> close(org, actor, reason, cause)));
    }
    return Future.join(closing)
        .transform(ignored -> owner.back(restartEngine()))
        .transform(ar -> {
          List<String> touched = new ArrayList<>();
          for (Future<String> f : closing) {
            if (f.succeeded() && f.result() != null) {
              touched.add(f.result());
            }
          }
          String detail = ar.succeeded() ? null
              : "the engine does not answer yet: " + ar.cause().getMessage();
          if (detail == null) {
            LOG.info("engine {} restarted by {}; {} session(s) reconnect", engine.name(), actor,
                touched.size());
          } else {
            LOG.warn("engine {} restarted by {}, but {}", engine.name(), actor, detail);
          }
          underWay = null;
          gate.complete();
          return Future.succeededFuture(new EngineRestartResult(engine.name(), touched,
              ar.succeeded(), detail));
        });
  }

  private Future<Void> restartEngine() {
    try {
      return engine.restart().timeout(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Ends the org's run and says why; {@code null} when it had none by now. */
  private Future<String> close(String org, String actor, String reason, Cause cause) {
    if (runs.session(org) == null) {
      return Future.succeededFuture(null); // closed by a command queued before this one
    }
    table.operation(org, Operation.ENGINE_RESTART, actor, "WhatsApp engine restarted by " + actor
        + reason + "; the session reconnects once the engine is back");
    OrgMdc.run(org, () -> LOG.info("closing the session: engine restart by {}", actor));
    // the writes Baileys already queued land before the run's writer is revoked
    // a failed record save is logged and shown in readiness by the table; the org was touched
    return runs.end(org, false)
        .compose(v -> table.change(org).wanted(true).to(SessionState.RECONNECTING, cause))
        .transform(ignored -> Future.succeededFuture(org));
  }
}
