package dev.vigia.dashboard.live;

import dev.vigia.common.OrgId;
import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.web.Caller;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open stream (SSE response, bridge socket) gets its changes from here, not from a bus
 * consumer of its own. The QR and pairing code travel only on an org's own address
 * ({@code vigia.session.state.<org>}): people get that org's changes from one consumer per org
 * that someone follows; API keys get theirs from the all-orgs address, always stripped. Each
 * change is read and encoded once per audience, then the same bytes go to every subscriber.
 *
 * <p>Changes reach a subscriber in batches, at most one flush per {@link #LINGER}: a lone change
 * goes out at once, and those that come while a flush waits (or while earlier bus messages wait
 * on the dashboard's event loop) go out together, in one write per stream, joined once for every
 * stream that follows the same orgs. Under load (a thousand changes a second to a hundred pages)
 * a stream gets one write, one chunk and one system call per batch instead of one per change,
 * which is what kept the event loop, and the machine's two cores, behind (issue 12); the wait it
 * adds is at most the linger. The bridge writes one frame per change whatever it is given, so it
 * gains nothing from a batch and takes each change at once ({@link #subscribeAtOnce}).
 *
 * <p>Runs on the dashboard's context only (its HTTP server and bus consumers share it), so the
 * maps need no locks.
 */
public final class LiveFeed {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /**
   * The shortest time between two flushes; what a change may wait for the next one. 15 ms: at a
   * thousand changes a second to a hundred pages, 5 ms made 200 flushes a second, 20,000 stream
   * writes, the largest piece of the dashboard loop's time; 15 ms makes a third of them, well
   * inside the 50 ms a change has to reach a page (issue 12).
   */
  static final Duration LINGER = Duration.ofMillis(15);

  /** Ends a subscription; safe to call twice. */
  public interface Subscription {
    void cancel();
  }

  private final Vertx vertx;
  private final Context context;
  private final Thread thread;
  /** People following some orgs (operators, or a bridge socket registered to one org). */
  private final Map<String, Set<Sink>> peopleByOrg = new HashMap<>();
  /** People following every org (an admin's stream). */
  private final Set<Sink> peopleEverywhere = new LinkedHashSet<>();
  private final Map<String, Set<Sink>> keysByOrg = new HashMap<>();
  /** Orgs an admin's stream follows: the accounts' orgs, and any org seen changing. */
  private final Set<String> knownOrgs = new HashSet<>();
  private final Map<String, MessageConsumer<Object>> orgConsumers = new HashMap<>();
  private MessageConsumer<Object> allOrgsConsumer;

  /** Changes waiting for the batch's flush, per subscriber; in the order they arrived. */
  private static final class Sink {
    final Consumer<LiveBatch> deliver;
    /** False: each change at once, in a batch of its own. */
    final boolean batched;
    final List<LiveChange> pending = new ArrayList<>();
    boolean cancelled;

    Sink(Consumer<LiveBatch> deliver, boolean batched) {
      this.deliver = deliver;
      this.batched = batched;
    }
  }

  /** Subscribers with changes waiting, and whether their flush is already queued. */
  private final List<Sink> waiting = new ArrayList<>();
  private boolean flushQueued;
  private long lastFlush = System.nanoTime() - LINGER.toNanos();

  /** Made on the dashboard's event loop (in its start), which it then belongs to. */
  public LiveFeed(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
    this.thread = Thread.currentThread();
    if (!context.isEventLoopContext() || Vertx.currentContext() == null) {
      throw new IllegalStateException("make the LiveFeed on the dashboard's event loop");
    }
  }

  /** The orgs the accounts hold at start. */
  public void orgsKnown(Collection<String> orgs) {
    onContext();
    for (String org : orgs) {
      orgCreated(org);
    }
  }

  public void orgCreated(String org) {
    onContext();
    if (OrgId.isValid(org) && knownOrgs.add(org)) {
      reconcile(org);
    }
  }

  public void orgDeleted(String org) {
    onContext();
    if (knownOrgs.remove(org)) {
      reconcile(org);
    }
  }

  /**
   * Sends {@code deliver} every change of {@code orgs} (null: every org, for an admin) that
   * {@code caller} may see: with secrets for people, without for keys; in order, in batches of
   * one or more changes (never empty).
   */
  public Subscription subscribe(Caller caller, Collection<String> orgs,
      Consumer<LiveBatch> deliver) {
    return subscribe(caller, orgs, new Sink(deliver, true));
  }

  /**
   * As {@link #subscribe}, each change at once in a batch of its own: for a subscriber that
   * writes one message per change anyway (the bridge), which waiting would only delay.
   */
  public Subscription subscribeAtOnce(Caller caller, Collection<String> orgs,
      Consumer<LiveBatch> deliver) {
    return subscribe(caller, orgs, new Sink(deliver, false));
  }

  private Subscription subscribe(Caller caller, Collection<String> orgs, Sink sink) {
    onContext();
    List<String> followed = orgs == null ? null
        : orgs.stream().filter(o -> OrgId.isValid(o) && caller.mayAccess(o)).distinct().toList();
    if (caller.isKey()) {
      for (String org : followed == null ? List.of(caller.keyOrg()) : followed) {
        keysByOrg.computeIfAbsent(org, o -> new LinkedHashSet<>()).add(sink);
      }
    } else if (followed == null && caller.isAdmin()) {
      peopleEverywhere.add(sink);
      knownOrgs.forEach(this::reconcile);
    } else {
      for (String org : followed == null ? caller.orgs() : followed) {
        peopleByOrg.computeIfAbsent(org, o -> new LinkedHashSet<>()).add(sink);
        reconcile(org);
      }
    }
    reconcileAllOrgs();
    boolean[] cancelled = new boolean[1];
    return () -> onContext(() -> {
      if (!cancelled[0]) {
        cancelled[0] = true;
        remove(sink);
      }
    });
  }

  /** Bus consumers open now (for tests: none once every stream is gone). */
  public int consumers() {
    return orgConsumers.size() + (allOrgsConsumer == null ? 0 : 1);
  }

  private void remove(Sink sink) {
    sink.cancelled = true;
    sink.pending.clear();
    if (peopleEverywhere.remove(sink)) {
      knownOrgs.forEach(this::reconcile);
    }
    removeFrom(peopleByOrg, sink, true);
    removeFrom(keysByOrg, sink, false);
    reconcileAllOrgs();
  }

  private void removeFrom(Map<String, Set<Sink>> byOrg, Sink sink, boolean people) {
    for (String org : List.copyOf(byOrg.keySet())) {
      Set<Sink> sinks = byOrg.get(org);
      if (sinks.remove(sink) && sinks.isEmpty()) {
        byOrg.remove(org);
        if (people) {
          reconcile(org);
        }
      }
    }
  }

  /** One consumer on the org's own address while any person follows the org. */
  private void reconcile(String org) {
    boolean wanted = peopleByOrg.containsKey(org)
        || (!peopleEverywhere.isEmpty() && knownOrgs.contains(org));
    MessageConsumer<Object> consumer = orgConsumers.get(org);
    if (wanted && consumer == null) {
      orgConsumers.put(org, vertx.eventBus().consumer(StateChange.addressFor(org),
          msg -> toPeople(org, msg)));
    } else if (!wanted && consumer != null) {
      orgConsumers.remove(org);
      consumer.unregister();
    }
  }

  /** The all-orgs address: keys' changes, and the orgs an admin's stream does not know yet. */
  private void reconcileAllOrgs() {
    boolean wanted = !keysByOrg.isEmpty() || !peopleEverywhere.isEmpty();
    if (wanted && allOrgsConsumer == null) {
      allOrgsConsumer = vertx.eventBus().consumer(StateChange.ADDRESS, this::toKeys);
    } else if (!wanted && allOrgsConsumer != null) {
      allOrgsConsumer.unregister();
      allOrgsConsumer = null;
    }
  }

  private void toPeople(String org, Message<Object> msg) {
    Set<Sink> sinks = peopleByOrg.get(org);
    if (sinks == null) {
      sinks = peopleEverywhere;
    } else if (!peopleEverywhere.isEmpty()) {
      sinks = new LinkedHashSet<>(sinks);
      sinks.addAll(peopleEverywhere);
    }
    LiveChange change = LiveChange.read(msg.body());
    if (change == null || !org.equals(change.org())) {
      LOG.warn("ignoring a state change that cannot be read on {}", msg.address());
      return;
    }
    deliver(sinks, change);
  }

  private void toKeys(Message<Object> msg) {
    LiveChange read = LiveChange.read(msg.body());
    if (read == null || !OrgId.isValid(read.org())) {
      LOG.warn("ignoring a state change that cannot be read on {}", msg.address());
      return;
    }
    String org = read.org();
    boolean newToAdmins = !peopleEverywhere.isEmpty() && !orgConsumers.containsKey(org);
    Set<Sink> keys = keysByOrg.get(org);
    if (!newToAdmins && keys == null) {
      return; // every change comes here while an admin follows: only some need it
    }
    LiveChange change = read.withoutSecrets();
    if (newToAdmins) {
      // an org the accounts do not hold (an import): follow it from now on, and show this
      // change without secrets, since its own address was not followed when it was published
      knownOrgs.add(org);
      reconcile(org);
      deliver(peopleEverywhere, change);
    }
    if (keys != null) {
      deliver(keys, change);
    }
  }

  /**
   * Adds the change to each subscriber's batch; the flush goes after the queued messages, and no
   * sooner than {@link #LINGER} after the last.
   */
  private void deliver(Collection<Sink> sinks, LiveChange change) {
    List<Sink> atOnce = null;
    for (Sink sink : sinks) {
      if (!sink.batched) {
        atOnce = atOnce == null ? new ArrayList<>() : atOnce;
        atOnce.add(sink);
        continue;
      }
      if (sink.pending.isEmpty()) {
        waiting.add(sink);
      }
      sink.pending.add(change);
    }
    if (!flushQueued && !waiting.isEmpty()) {
      flushQueued = true;
      long wait = lastFlush + LINGER.toNanos() - System.nanoTime();
      if (wait <= 0) {
        context.runOnContext(v -> flush());
      } else {
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> flush());
      }
    }
    if (atOnce != null) {
      // after the loop: a subscriber that closes now changes the sets being iterated
      LiveBatch one = new LiveBatch(List.of(change));
      for (Sink sink : atOnce) {
        if (!sink.cancelled) {
          sink.deliver.accept(one);
        }
      }
    }
  }

  private void flush() {
    flushQueued = false;
    lastFlush = System.nanoTime();
    List<Sink> ready = List.copyOf(waiting);
    waiting.clear();
    // the same changes in the same order (LiveChange compares by identity): one batch for all
    Map<List<LiveChange>, LiveBatch> batches = new HashMap<>();
    for (Sink sink : ready) {
      List<LiveChange> changes = List.copyOf(sink.pending);
      sink.pending.clear();
      if (!sink.cancelled && !changes.isEmpty()) {
        sink.deliver.accept(batches.computeIfAbsent(changes, LiveBatch::new));
      }
    }
  }

  private void onContext() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("LiveFeed used off the dashboard's event loop");
    }
  }

  private void onContext(Runnable action) {
    if (Thread.currentThread() == thread) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
