package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.gateway.engine.CallerContext;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-JVM engine: each session talks to a {@link SimulatedWhatsApp} that behaves like the real
 * service (rotating QR codes, 515 after a scan, 440 for a second client, faults on request).
 * Control ({@link #scan}, {@link #fault}) fails with {@link IllegalArgumentException} for bad input
 * and {@link IllegalStateException} when the session is not in a state that allows it.
 */
public final class SimulatedEngine implements Engine {

  public static final String NAME = "simulated";

  /** Every fault kind {@link #fault} accepts. */
  public static final Set<String> FAULTS = Set.of(Cause.CONNECTION_LOST, Cause.CONNECTION_CLOSED,
      Cause.RESTART_REQUIRED, Cause.CONFLICT, Cause.LOGGED_OUT, Cause.BAD_SESSION, Cause.BANNED,
      Cause.UNAVAILABLE, Cause.OUTDATED, Cause.NETWORK_DOWN, Cause.NETWORK_UP, Cause.BAD_MAC);

  private final Vertx vertx;
  private final VigiaConfig.Sim timings;
  private final SimulatedWhatsApp whatsApp;
  private final Clock clock;
  private final Map<String, SimulatedSession> live = new ConcurrentHashMap<>();
  /** Whether {@link #close} closes the fake WhatsApp too: only when this engine made it. */
  private final boolean ownsWhatsApp;

  /**
   * What the app uses (one engine per process): a fake WhatsApp of its own, or, when
   * {@code timings.whatsApp()} names one ({@code VIGIA_SIM_WHATSAPP}, cluster mode), the one that
   * every node shares, so two nodes using the same credentials get the 440 conflict.
   */
  public SimulatedEngine(Vertx vertx, VigiaConfig.Sim timings, Clock clock) {
    this(vertx, timings, timings.whatsApp() == null ? new SimulatedWhatsApp()
        : SimulatedWhatsApp.shared(vertx, timings.whatsApp()), clock, true);
  }

  /**
   * Engines that share {@code whatsApp} see each other's devices (conflicts, links); it outlives
   * this engine (the caller closes it).
   */
  public SimulatedEngine(Vertx vertx, VigiaConfig.Sim timings, SimulatedWhatsApp whatsApp,
      Clock clock) {
    this(vertx, timings, whatsApp, clock, false);
  }

  private SimulatedEngine(Vertx vertx, VigiaConfig.Sim timings, SimulatedWhatsApp whatsApp,
      Clock clock, boolean ownsWhatsApp) {
    this.vertx = vertx;
    this.timings = timings;
    this.whatsApp = whatsApp;
    this.clock = clock;
    this.ownsWhatsApp = ownsWhatsApp;
  }

  @Override
  public String name() {
    return NAME;
  }

  public SimulatedWhatsApp whatsApp() {
    return whatsApp;
  }

  @Override
  public EngineSession open(RunAuthState auth, EngineListener listener) {
    SimulatedSession session = new SimulatedSession(this, auth, listener,
        CallerContext.of(vertx));
    SimulatedSession older = live.put(auth.org(), session);
    if (older != null) {
      older.close();
    }
    return session;
  }

  /** Keys as Baileys lays them out: one contact's sessions are {@code session-<user>.<device>}. */
  @Override
  public KeyRange contactSessions(String contact) {
    return new KeyRange("session", contact + ".");
  }

  /** A phone scans the pending QR (or the pairing code is typed on it). */
  public Future<Void> scan(String org) {
    SimulatedSession session = live.get(org);
    if (session == null) {
      return Future.failedFuture(new IllegalStateException(
          "no QR code or pairing code is waiting for this organization"));
    }
    return session.scan();
  }

  /** Injects one of {@link #FAULTS}; {@code contact} and {@code count} are for {@code bad_mac}. */
  public Future<Void> fault(String org, String kind, String contact, Integer count) {
    if (kind == null || !FAULTS.contains(kind)) {
      return Future.failedFuture(new IllegalArgumentException(
          "unknown fault kind; use one of " + new java.util.TreeSet<>(FAULTS)));
    }
    if (kind.equals(Cause.NETWORK_DOWN)) {
      whatsApp.setNetworkUp(false);
      return Future.succeededFuture();
    }
    if (kind.equals(Cause.NETWORK_UP)) {
      whatsApp.setNetworkUp(true);
      return Future.succeededFuture();
    }
    SimulatedSession session = live.get(org);
    if (session == null) {
      return Future.failedFuture(new IllegalStateException(
          "this organization has no open connection to inject a fault into"));
    }
    if (kind.equals(Cause.BAD_MAC)) {
      if (contact == null || contact.isBlank()) {
        return Future.failedFuture(new IllegalArgumentException("bad_mac needs a contact"));
      }
      int n = count == null ? 1 : count;
      if (n < 1 || n > 10_000) {
        return Future.failedFuture(new IllegalArgumentException("count must be 1 to 10000"));
      }
      session.decryptFailures(contact, n);
      return Future.succeededFuture();
    }
    session.fail(causeOf(kind));
    return Future.succeededFuture();
  }

  static Cause causeOf(String kind) {
    return switch (kind) {
      case Cause.CONNECTION_LOST -> Cause.connectionLost();
      case Cause.CONNECTION_CLOSED -> Cause.connectionClosed();
      case Cause.RESTART_REQUIRED -> Cause.restartRequired();
      case Cause.CONFLICT -> Cause.conflict();
      case Cause.LOGGED_OUT -> Cause.loggedOut();
      case Cause.BAD_SESSION -> Cause.badSession();
      case Cause.BANNED -> Cause.banned(403);
      case Cause.UNAVAILABLE -> Cause.unavailable();
      case Cause.OUTDATED -> Cause.outdated(405);
      default -> throw new IllegalArgumentException("unknown fault kind " + kind);
    };
  }

  /** Messages the fake service delivered for {@code org}. */
  public List<SimulatedWhatsApp.SentMessage> sentMessages(String org) {
    return whatsApp.sentMessages(org);
  }

  /** Closes every session still open; the fake WhatsApp keeps its devices, as the real one does. */
  @Override
  public Future<Void> restart() {
    List<SimulatedSession> all = new ArrayList<>(live.values());
    all.forEach(SimulatedSession::close);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    List<SimulatedSession> all = new ArrayList<>(live.values());
    all.forEach(SimulatedSession::close);
    live.clear();
    return ownsWhatsApp ? whatsApp.close() : Future.succeededFuture();
  }

  void forget(String org, SimulatedSession session) {
    live.remove(org, session);
  }

  Vertx vertx() {
    return vertx;
  }

  VigiaConfig.Sim timings() {
    return timings;
  }

  Clock clock() {
    return clock;
  }
}
