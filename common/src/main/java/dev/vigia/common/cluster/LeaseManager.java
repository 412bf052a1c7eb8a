package dev.vigia.common.cluster;

import dev.vigia.common.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's session leases in PostgreSQL ({@code session_lease}, issue 11): at most one node
 * owns an org's session at a time, and a node that cannot prove it still owns one stops it
 * before anyone else may take it.
 *
 * <ul>
 *   <li>{@link #claim} takes a lease nobody holds (new, released or expired), adding one to the
 *       org's fencing epoch: every auth-state write of an older epoch is refused from then on.
 *   <li>The owner renews every {@code renewMillis}, presenting the epoch of its claim.
 *   <li>{@link #release} hands a lease over at once (graceful stop, moves), after the caller
 *       stopped the session.
 *   <li>Each lease has a local deadline: the time the claim or last renewal was <em>sent</em>
 *       plus the lease, less {@code stopMarginMillis}, by this process' monotonic clock. The
 *       database's {@code lease_until} was set after that send, so the deadline always comes
 *       first. A paused process (SIGSTOP, a long GC) resumes with its deadlines behind it and
 *       is told to stop, whatever it believed before the pause; a renewal the database refuses
 *       tells it too. {@link #holds} answers from the deadline, without a round trip.
 * </ul>
 *
 * Hazelcast or Vert.x locks could not do this: a paused node keeps believing it holds them.
 * The listener is called on the context {@link #start} ran on.
 */
public final class LeaseManager {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseManager.class);

  /** A lease this node holds: the org, the epoch of its claim, and its local deadline. */
  public record Lease(String org, long epoch, long deadlineNanos) {}

  /** Told once per lease this node lost: it must stop that session now, then may release. */
  @FunctionalInterface
  public interface Listener {
    void lost(Lease lease, String why);
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String node;
  private final long leaseMillis;
  private final long renewMillis;
  private final long marginMillis;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final ConcurrentMap<String, Lease> held = new ConcurrentHashMap<>();
  private long renewTimer = -1;
  private long watchTimer = -1;
  private boolean renewing;

  /**
   * A manager for node {@code settings.nodeId()}, with the lease timings of {@code settings};
   * {@code nanoTime} is the monotonic clock ({@code System::nanoTime}; tests move their own).
   */
  public LeaseManager(Vertx vertx, Pool pool, ClusterSettings settings, LongSupplier nanoTime,
      Listener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.node = Objects.requireNonNull(settings.nodeId(), "nodeId");
    this.leaseMillis = settings.leaseMillis();
    this.renewMillis = settings.renewMillis();
    this.marginMillis = settings.stopMarginMillis();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public String node() {
    return node;
  }

  /** Renews every {@code renewMillis} and watches the deadlines, on the caller's context. */
  public void start() {
    renewTimer = vertx.setPeriodic(renewMillis, id -> renewNow());
    watchTimer = vertx.setPeriodic(Math.max(20, Math.min(renewMillis, marginMillis) / 4),
        id -> checkDeadlines());
  }

  /** Stops renewing and watching; the leases run out unless {@link #releaseAll} gives them up. */
  public void stop() {
    vertx.cancelTimer(renewTimer);
    vertx.cancelTimer(watchTimer);
  }

  /**
   * Takes the org's lease if nobody holds it. Fails with {@link LeaseHeldException} (naming the
   * holder) when another node, or an earlier run of this one, holds it.
   */
  public Future<Lease> claim(String org) {
    Lease mine = held.get(org);
    if (mine != null && isLive(mine)) {
      return Future.succeededFuture(mine);
    }
    long sentAt = nanoTime.getAsLong();
    return pool.withTransaction(conn -> conn.preparedQuery(LeaseSql.ENSURE_ORG)
            .execute(Tuple.of(org))
            .compose(v -> conn.preparedQuery(LeaseSql.CLAIM)
                .execute(Tuple.of(org, node, leaseMillis))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return holder(org).compose(owner -> Future.failedFuture(
                new LeaseHeldException(org, owner)));
          }
          Lease lease = new Lease(org, rows.iterator().next().getLong(0), deadline(sentAt));
          held.put(org, lease);
          LOG.info("node {} claimed org {} (epoch {})", node, org, lease.epoch());
          return Future.succeededFuture(lease);
        });
  }

  private Future<String> holder(String org) {
    return pool.preparedQuery(LeaseSql.HOLDER).execute(Tuple.of(org)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return Boolean.TRUE.equals(row.getBoolean(1)) ? row.getString(0) : null;
    });
  }

  /**
   * True while this node holds the org's lease and its local deadline is ahead: the one check a
   * node makes before acting for an org (no round trip, so cheap enough for every event).
   */
  public boolean holds(String org) {
    Lease lease = held.get(org);
    return lease != null && isLive(lease);
  }

  /** The lease this node holds for the org, or null (also when its deadline passed). */
  public Lease lease(String org) {
    Lease lease = held.get(org);
    return lease != null && isLive(lease) ? lease : null;
  }

  /** The orgs whose leases this node holds now. */
  public Set<String> owned() {
    Set<String> out = new HashSet<>();
    held.values().forEach(l -> {
      if (isLive(l)) {
        out.add(l.org());
      }
    });
    return out;
  }

  /**
   * Gives the lease up at once, so another node may claim it without waiting for it to end. Call
   * it once the session is stopped (graceful stop, a move, after {@link Listener#lost}); a lease
   * someone else has claimed since is left alone.
   */
  public Future<Void> release(Lease lease) {
    held.remove(lease.org(), lease);
    return pool.preparedQuery(LeaseSql.RELEASE)
        .execute(Tuple.of(lease.org(), node, lease.epoch())).mapEmpty();
  }

  /** Releases every lease this node holds (its sessions already stopped): a graceful stop. */
  public Future<Void> releaseAll() {
    List<Future<Void>> all = new ArrayList<>();
    new ArrayList<>(held.values()).forEach(l -> all.add(release(l)));
    return Future.all(all).mapEmpty();
  }

  /** Renews every lease held now, in one statement; those the database refuses are lost. */
  public Future<Void> renewNow() {
    if (renewing) {
      return Future.succeededFuture(); // the previous renewal has not answered yet
    }
    List<Lease> leases = new ArrayList<>(held.values());
    if (leases.isEmpty()) {
      return Future.succeededFuture();
    }
    renewing = true;
    String[] orgs = leases.stream().map(Lease::org).toArray(String[]::new);
    Long[] epochs = leases.stream().map(Lease::epoch).toArray(Long[]::new);
    long sentAt = nanoTime.getAsLong();
    return pool.preparedQuery(LeaseSql.RENEW)
        .execute(Tuple.of(node, leaseMillis, orgs, epochs))
        .transform(ar -> {
          renewing = false;
          if (ar.failed()) {
            // the deadlines stand: if no renewal succeeds before them, the sessions stop
            LOG.warn("node {} could not renew its {} leases: {}", node, leases.size(),
                ar.cause().toString());
            return Future.succeededFuture();
          }
          Set<String> renewed = new HashSet<>();
          ar.result().forEach(row -> renewed.add(row.getString(0)));
          for (Lease lease : leases) {
            if (renewed.contains(lease.org())) {
              // the database confirmed it still ours: the deadline moves from this send
              held.replace(lease.org(), lease,
                  new Lease(lease.org(), lease.epoch(), deadline(sentAt)));
            } else {
              lose(lease, "the database refused the renewal (another node claimed it, or it"
                  + " ended)");
            }
          }
          checkDeadlines();
          return Future.succeededFuture();
        });
  }

  /**
   * The database refused a write of this node for the org (another claim holds it): the lease is
   * lost at once, without waiting for the next renewal to say so.
   */
  public void refused(String org, String why) {
    Lease lease = held.get(org);
    if (lease != null) {
      lose(lease, why);
    }
  }

  /** Tells the listener of every lease whose local deadline has passed. */
  public void checkDeadlines() {
    for (Lease lease : new ArrayList<>(held.values())) {
      if (!isLive(lease)) {
        lose(lease, "no renewal in time: it could end any moment");
      }
    }
  }

  private void lose(Lease lease, String why) {
    if (held.remove(lease.org(), lease)) {
      LOG.warn("node {} lost org {} (epoch {}): {}; stopping its session", node, lease.org(),
          lease.epoch(), why);
      listener.lost(lease, why);
    }
  }

  private boolean isLive(Lease lease) {
    return nanoTime.getAsLong() - lease.deadlineNanos() < 0;
  }

  private long deadline(long sentAt) {
    return sentAt + TimeUnit.MILLISECONDS.toNanos(leaseMillis - marginMillis);
  }

  /** For tests and the node's status: every lease held, deadlines included. */
  Map<String, Lease> snapshot() {
    return Map.copyOf(held);
  }
}
