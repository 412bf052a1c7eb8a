package dev.vigia.dashboard.live;

import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.dashboard.web.Caller;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark command, not a test: what it costs to fan one org's state changes out to 100 open
 * pages, the way {@link LiveFeed} does (one bus consumer, one read and one encoding per change)
 * against the way the SSE stream did before (a bus consumer per page, each reading and encoding
 * the change itself). Both run in the same JVM, alternating, and the result is a ratio.
 *
 * <pre>
 * ./mvnw -B -q -pl dashboard-module -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/vigia-cp.txt -Dmdep.includeScope=test
 * java -cp dashboard-module/target/test-classes:dashboard-module/target/classes:common/target/classes:$(cat /tmp/vigia-cp.txt) \
 *     dev.vigia.dashboard.live.FanOutBench
 * </pre>
 */
public final class FanOutBench {

  private static final int PAGES = 100;
  private static final int CHANGES = 2_000;
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    // one event loop does all the work on purpose: do not warn that it is busy
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions()
        .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
    try {
      List<StateChange> changes = new ArrayList<>();
      for (int i = 0; i < CHANGES; i++) {
        changes.add(new StateChange("4", SessionState.QR_REQUIRED, SessionState.QR_REQUIRED, null,
            new SessionView.QrCode("2@" + "x".repeat(80) + i + ",noise,identity,adv",
                Instant.parse("2026-01-01T10:01:00Z")), null, null, null,
            Instant.parse("2026-01-01T10:00:00Z"), i));
      }
      List<JsonObject> bodies = changes.stream().map(Json::toJson).toList();
      Context context = vertx.getOrCreateContext();
      LiveFeed feed = onContext(context, () -> new LiveFeed(vertx, context));
      double feedBest = Double.MAX_VALUE;
      double perPageBest = Double.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        feedBest = Math.min(feedBest, runFeed(vertx, context, feed, bodies));
        perPageBest = Math.min(perPageBest, runPerPage(vertx, context, bodies));
      }
      System.out.printf("%d pages, %d changes of one org, best of %d rounds%n", PAGES, CHANGES,
          ROUNDS);
      System.out.printf("  per page (before): %8.1f ms CPU  %9.0f changes per CPU-second%n", perPageBest,
          CHANGES / perPageBest * 1000);
      System.out.printf("  LiveFeed (now):    %8.1f ms CPU  %9.0f changes per CPU-second%n", feedBest,
          CHANGES / feedBest * 1000);
      if (BYTES[0] != BYTES[1]) {
        throw new IllegalStateException("the two ways wrote different bytes: " + BYTES[0] + " vs "
            + BYTES[1]);
      }
      System.out.printf("  both wrote %d bytes to the pages%n", BYTES[0]);
      System.out.printf("  ratio: LiveFeed takes %.2f of the time per page took (%.1fx faster)%n",
          feedBest / perPageBest, perPageBest / feedBest);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Bytes the last run of each way wrote: the same, or the comparison is unfair. */
  private static final long[] BYTES = new long[2];

  /** LiveFeed: 100 operators of org 4; each delivery is the shared SSE bytes. */
  private static double runFeed(Vertx vertx, Context context, LiveFeed feed,
      List<JsonObject> bodies) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong bytes = new AtomicLong();
    long expected = (long) PAGES * bodies.size();
    AtomicLong delivered = new AtomicLong();
    Caller operator = new Caller("ana", "operator", List.of("4"), null, null);
    List<LiveFeed.Subscription> subscriptions = onContext(context, () -> {
      List<LiveFeed.Subscription> subs = new ArrayList<>();
      for (int p = 0; p < PAGES; p++) {
        subs.add(feed.subscribe(operator, List.of("4"), batch -> {
          bytes.addAndGet(batch.sse().length());
          if (delivered.addAndGet(batch.changes().size()) == expected) {
            done.countDown();
          }
        }));
      }
      return subs;
    });
    double ms = publishAndWait(vertx, bodies, done);
    BYTES[0] = bytes.get();
    onContext(context, () -> {
      subscriptions.forEach(LiveFeed.Subscription::cancel);
      return null;
    });
    return ms;
  }

  /** Before: a bus consumer per page, each reading and encoding every change itself. */
  private static double runPerPage(Vertx vertx, Context context, List<JsonObject> bodies)
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong bytes = new AtomicLong();
    long expected = (long) PAGES * bodies.size();
    AtomicLong delivered = new AtomicLong();
    List<MessageConsumer<Object>> consumers = onContext(context, () -> {
      List<MessageConsumer<Object>> list = new ArrayList<>();
      for (int p = 0; p < PAGES; p++) {
        list.add(vertx.eventBus().consumer(StateChange.addressFor("4"), msg -> {
          StateChange change = Json.fromJson((JsonObject) msg.body(), StateChange.class);
          Buffer sse = Buffer.buffer("event: state\nid: " + change.seq() + "\ndata: "
              + Json.toJson(change).encode() + "\n\n");
          bytes.addAndGet(sse.length());
          if (delivered.incrementAndGet() == expected) {
            done.countDown();
          }
        }));
      }
      return list;
    });
    double ms = publishAndWait(vertx, bodies, done);
    BYTES[1] = bytes.get();
    onContext(context, () -> {
      consumers.forEach(MessageConsumer::unregister);
      return null;
    });
    return ms;
  }

  /** Publishes every change as the gateway does and waits until every page has them all. */
  private static double publishAndWait(Vertx vertx, List<JsonObject> bodies, CountDownLatch done)
      throws InterruptedException {
    Thread.sleep(200); // registrations settle; the main thread, not an event loop
    // CPU time of the process, not wall time: the machine is shared, a busy neighbour must not
    // count as our cost
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long t0 = os.getProcessCpuTime();
    vertx.runOnContext(v -> {
      for (JsonObject body : bodies) {
        vertx.eventBus().publish(StateChange.addressFor("4"), body);
      }
    });
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every change reached every page in 120 s");
    }
    return (os.getProcessCpuTime() - t0) / 1e6;
  }

  private static <T> T onContext(Context context, java.util.concurrent.Callable<T> action)
      throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
