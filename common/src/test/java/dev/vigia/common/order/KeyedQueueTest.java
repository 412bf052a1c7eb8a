package dev.vigia.common.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class KeyedQueueTest {

  @Test
  void tasksOfOneKeyRunInOrderEvenWhenEarlierOnesAreSlow(Vertx vertx, VertxTestContext ctx) {
    KeyedQueue queue = new KeyedQueue();
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    vertx.runOnContext(v -> {
      Promise<Void> slow = Promise.promise();
      queue.run("2", () -> {
        ran.add(1);
        return slow.future();
      });
      queue.run("2", () -> {
        ran.add(2);
        return Future.succeededFuture();
      });
      Future<Void> last = queue.run("2", () -> {
        ran.add(3);
        return Future.succeededFuture();
      });
      // another key is not held up by the slow task of "2"
      queue.run("4", () -> {
        ran.add(40);
        return Future.succeededFuture();
      }).onSuccess(x -> ctx.verify(() -> assertEquals(List.of(1, 40), ran)));
      vertx.setTimer(20, t -> slow.complete());
      last.onComplete(ctx.succeeding(x -> ctx.verify(() -> {
        assertEquals(List.of(1, 40, 2, 3), ran);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aTaskAndItsResultStayOnTheCallersContextWhateverThreadCompletesTheWork(Vertx vertx,
      VertxTestContext ctx) {
    KeyedQueue queue = new KeyedQueue();
    Context owner = vertx.getOrCreateContext();
    Context other = vertx.getOrCreateContext();
    owner.runOnContext(v -> {
      // the work completes on a worker thread, as a store's blocking call does
      Future<String> result = queue.run("2", () -> {
        ctx.verify(() -> assertSame(owner, Vertx.currentContext()));
        return vertx.executeBlocking(() -> Thread.currentThread().getName(), false);
      });
      result.onComplete(ctx.succeeding(worker -> ctx.verify(() -> {
        assertSame(owner, Vertx.currentContext());
        ctx.completeNow();
      })));
    });
    // a task queued from another context first makes the owner's task wait on that context
    other.runOnContext(v -> queue.run("2", () -> vertx.timer(10).mapEmpty()));
  }

  @Test
  void aFailedOrThrowingTaskDoesNotStopTheNextOne(Vertx vertx, VertxTestContext ctx) {
    KeyedQueue queue = new KeyedQueue();
    vertx.runOnContext(v -> {
      queue.run("2", () -> Future.failedFuture("boom"));
      queue.run("2", () -> {
        throw new IllegalStateException("thrown");
      });
      queue.run("2", () -> Future.succeededFuture("ok"))
          .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals("ok", r);
            ctx.completeNow();
          })));
    });
  }
}
