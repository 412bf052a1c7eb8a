package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.ForgetRequest;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.PurgeArchivesRequest;
import dev.vigia.common.gateway.PurgeResult;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.logging.Masked;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.simulated.SimulatedEngine;
import dev.vigia.gateway.session.OrgSession;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's commands (DESIGN §4), each applied in order per org through the org's queue;
 * reads answer from the {@link SessionTable} at once. Mechanism only: it never decides to
 * reconnect, and a decision made for an older state of a session ({@code forSeq}) is refused.
 * Used on the owning context.
 */
final class SessionGateway {

  private static final Logger LOG = LoggerFactory.getLogger(SessionGateway.class);

  /** States with an engine session working or holding a connection. */
  static final Set<SessionState> LIVE = EnumSet.of(SessionState.STARTING,
      SessionState.QR_REQUIRED, SessionState.PAIRING_CODE, SessionState.CONNECTED);
  private static final int RECEIPTS_PER_ORG = 1_000;
  private static final String MONITOR = "monitor";

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final EngineRuns runs;
  private final AuthStateStore store;
  private final Engine engine;
  /** Replies to sends with an idempotency key, per org: a repeated send is answered, not sent. */
  private final Map<String, Map<String, SendReceipt>> receipts = new HashMap<>();

  SessionGateway(OwningContext owner, KeyedQueue queue, SessionTable table, EngineRuns runs,
      AuthStateStore store, Engine engine) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.runs = runs;
    this.store = store;
    this.engine = engine;
  }

  Future<SessionView> connect(ConnectRequest r) {
    String org = RequestChecks.org(r.org());
    String phone = RequestChecks.pairingPhone(r.method(), r.phone());
    return queue.run(org, () -> {
      OrgSession s = table.find(org);
      SessionState state = s == null ? SessionState.STOPPED : s.state();
      if (isStale(s, r.forSeq())) {
        return stale(s, r.forSeq());
      }
      if (LIVE.contains(state)) {
        return Future.succeededFuture(s.view());
      }
      if (state == SessionState.BANNED) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "WhatsApp restricted this account; connecting again cannot help. Clear the session"
                + " to link another phone"));
      }
      if (state == SessionState.CONFLICT && !r.takeover()) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "another client uses these credentials (440): a person must choose take over"
                + " (connect with takeover) or clear"));
      }
      return runs.open(org, phone, connectCause(r));
    });
  }

  private static Cause connectCause(ConnectRequest r) {
    if (r.takeover()) {
      return Cause.userRequest("Take over: this client replaces the other one");
    }
    if (MONITOR.equals(r.actor())) {
      return new Cause(null, "reconnect", "Reconnect attempt by the monitor");
    }
    return Cause.userRequest("Connect requested by " + RequestChecks.actor(r.actor()));
  }

  Future<SessionView> disconnect(DisconnectRequest r) {
    String org = RequestChecks.org(r.org());
    return queue.run(org, () -> {
      OrgSession s = table.find(org);
      if (s == null) {
        return Future.succeededFuture(table.view(org)); // nothing to stop, nothing to add
      }
      boolean hadRun = runs.session(org) != null;
      return runs.end(org, false).compose(v -> {
        if (!hadRun && s.state() == SessionState.STOPPED && !s.connectionWanted()) {
          return Future.succeededFuture(s.view());
        }
        return table.change(org).wanted(false).to(SessionState.STOPPED, Cause.userRequest(
            "Disconnected by " + RequestChecks.actor(r.actor()))).map(v2 -> s.view());
      });
    });
  }

  Future<ClearResult> clear(ClearRequest r) {
    String org = RequestChecks.org(r.org());
    String reason = r.reason() == null || r.reason().isBlank() ? "Session cleared" : r.reason();
    return queue.run(org, () -> runs.end(org, true)
        .compose(v -> archive(org, reason, RequestChecks.actor(r.actor()))));
  }

  Future<ClearResult> logout(LogoutRequest r) {
    String org = RequestChecks.org(r.org());
    String reason = r.reason() == null || r.reason().isBlank() ? "Logged out" : r.reason();
    return queue.run(org, () -> runs.logout(org)
        .compose(v -> archive(org, reason, RequestChecks.actor(r.actor()))));
  }

  /** Moves the auth state to the archive and goes STOPPED; the org's run is already over. */
  private Future<ClearResult> archive(String org, String reason, String actor) {
    receipts.remove(org);
    return owner.back(store.clear(org, reason, actor)).transform(ar -> {
      if (ar.failed()) {
        OrgMdc.run(org, () -> LOG.error("could not archive the auth state: {}", ar.cause()));
        Future<Void> stopped = table.find(org) == null ? Future.succeededFuture()
            : table.change(org).wanted(false).to(SessionState.STOPPED, Cause.userRequest(
                "Disconnected; the auth state could not be archived"));
        return stopped.transform(ignored -> Future.failedFuture(new GatewayFailure(500,
            "the session could not be cleared; the auth state is unchanged")));
      }
      String archivedTo = ar.result();
      if (archivedTo == null && table.find(org) == null) {
        // never seen and nothing stored: nothing to clear, and no session to add (issue 7)
        return Future.succeededFuture(new ClearResult(table.view(org), null));
      }
      OrgMdc.run(org, () -> LOG.info("auth state archived by {}", actor));
      return table.change(org).wanted(false).me(null)
          .to(SessionState.STOPPED, Cause.userRequest(reason))
          .map(v -> new ClearResult(table.view(org), archivedTo));
    });
  }

  /** The reaper removes an idle org whose auth state is already archived. */
  Future<JsonObject> forget(ForgetRequest r) {
    String org = RequestChecks.org(r.org());
    return queue.run(org, () -> {
      OrgSession s = table.find(org);
      if (runs.session(org) != null || (s != null && LIVE.contains(s.state()))) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "the session is "
            + (s == null ? "open" : s.state()) + "; only a session that is not live can be"
            + " forgotten"));
      }
      return owner.back(store.readCreds(org)).compose(creds -> {
        if (creds != null) {
          return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
              "the session still has credentials; clear it to the archive first"));
        }
        receipts.remove(org);
        return table.forget(org).map(v -> {
          OrgMdc.run(org, () -> LOG.info("session forgotten by {}",
              RequestChecks.actor(r.actor())));
          return new JsonObject();
        });
      });
    });
  }

  Future<PurgeResult> purgeArchives(PurgeArchivesRequest r) {
    if (r.olderThan() == null) {
      throw new GatewayFailure(Failure.BAD_INPUT, "olderThan is required");
    }
    return owner.back(store.purgeArchives(r.olderThan())).map(PurgeResult::new);
  }

  /** From the table at once: never behind the org's commands; a query adds no org. */
  Future<SessionView> status(StatusRequest r) {
    return Future.succeededFuture(table.view(RequestChecks.org(r.org())));
  }

  /** From the table at once, with the orgs whose imported auth state has no session yet. */
  Future<SessionList> list() {
    return Future.succeededFuture(new SessionList(table.views()));
  }

  Future<SendReceipt> send(SendRequest r) {
    String org = RequestChecks.org(r.org());
    RequestChecks.message(r.to(), r.text());
    String key = r.idempotencyKey();
    return queue.run(org, () -> {
      owner.check("receipts");
      Map<String, SendReceipt> seen = receipts.get(org);
      if (key != null && seen != null && seen.containsKey(key)) {
        return Future.succeededFuture(seen.get(key));
      }
      OrgSession s = table.find(org);
      EngineSession session = runs.session(org);
      if (s == null || s.state() != SessionState.CONNECTED || session == null) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "the session is "
            + (s == null ? SessionState.STOPPED : s.state())
            + "; messages can be sent only when CONNECTED"));
      }
      return owner.back(session.send(r.to(), r.text(), key)).transform(ar -> {
        if (ar.failed()) {
          OrgMdc.run(org, () -> LOG.warn("send failed: {}", Masked.in(ar.cause().toString())));
          return Future.failedFuture(new GatewayFailure(Failure.UNAVAILABLE,
              "the message could not be sent; try again"));
        }
        if (key != null) {
          receipts.computeIfAbsent(org, k -> boundedMap()).put(key, ar.result());
        }
        return Future.succeededFuture(ar.result());
      });
    });
  }

  private static Map<String, SendReceipt> boundedMap() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SendReceipt> eldest) {
        return size() > RECEIPTS_PER_ORG;
      }
    };
  }

  /** The monitor records its decision about a session that is not live. */
  Future<SessionView> settle(SettleRequest r) {
    String org = RequestChecks.org(r.org());
    SessionState to = RequestChecks.settleState(r.state());
    return queue.run(org, () -> {
      OrgSession s = table.find(org);
      if (s == null) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE,
            "the gateway has no session for this organization; nothing to settle"));
      }
      if (isStale(s, r.forSeq())) {
        return stale(s, r.forSeq());
      }
      if (LIVE.contains(s.state()) || runs.session(org) != null) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "the session is "
            + s.state() + "; only a session that is not live can be settled"));
      }
      boolean reconnecting = to == SessionState.RECONNECTING;
      return table.change(org).wanted(reconnecting)
          .reconnect(reconnecting ? r.reconnect() : null)
          .to(to, r.cause() != null ? r.cause() : s.cause()).map(v -> s.view());
    });
  }

  /** A decision made for another state ({@code forSeq}) than the session's current one. */
  private static boolean isStale(OrgSession s, Long forSeq) {
    return forSeq != null && forSeq != (s == null ? 0 : s.seq());
  }

  private static <T> Future<T> stale(OrgSession s, Long forSeq) {
    return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "the session changed"
        + " since this decision (made for seq " + forSeq + ", now " + (s == null ? 0 : s.seq())
        + "); nothing was done"));
  }

  /** Simulated engine only: a phone scans, or a fault is injected. */
  Future<SessionView> sim(SimRequest r) {
    if (!(engine instanceof SimulatedEngine sim)) {
      throw new GatewayFailure(Failure.UNKNOWN, "the simulated engine is not in use");
    }
    String org = RequestChecks.org(r.org());
    return queue.run(org, () -> {
      Future<Void> done;
      if (SimRequest.SCAN.equals(r.action())) {
        done = sim.scan(org);
      } else if (SimRequest.FAULT.equals(r.action())) {
        done = sim.fault(org, r.kind(), r.contact(), r.count());
      } else {
        return Future.failedFuture(new GatewayFailure(Failure.BAD_INPUT,
            "action must be scan or fault"));
      }
      return owner.back(done).map(v -> table.view(org));
    });
  }

  /** Ends every run without changing any state: a restart resumes them. */
  Future<Void> shutdown() {
    return runs.shutdown();
  }
}
