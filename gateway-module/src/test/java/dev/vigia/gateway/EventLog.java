package dev.vigia.gateway;

import dev.vigia.common.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records every event published on one address; {@link #next} hands out the oldest event not yet
 * handed out that matches, waiting for it if needed, so a test reads a session's story step by step.
 */
final class EventLog<T> {

  private final Class<T> type;
  private final List<T> events = new ArrayList<>();
  private final List<Waiter<T>> waiters = new ArrayList<>();
  private final java.util.Set<Integer> handedOut = new java.util.HashSet<>();
  private MessageConsumer<Object> consumer;

  private record Waiter<T>(Predicate<T> match, Promise<T> promise) {}

  private EventLog(Class<T> type) {
    this.type = type;
  }

  static <T> Future<EventLog<T>> listen(Vertx vertx, String address, Class<T> type) {
    EventLog<T> log = new EventLog<>(type);
    log.consumer = vertx.eventBus().consumer(address, msg -> log.add(msg.body()));
    return log.consumer.completion().map(v -> log);
  }

  private void add(Object body) {
    T event = Json.fromBody(body, type);
    Promise<T> toComplete = null;
    synchronized (this) {
      events.add(event);
      Iterator<Waiter<T>> it = waiters.iterator();
      while (it.hasNext()) {
        Waiter<T> w = it.next();
        if (w.match().test(event)) {
          handedOut.add(events.size() - 1);
          it.remove();
          toComplete = w.promise();
          break;
        }
      }
    }
    if (toComplete != null) {
      toComplete.complete(event);
    }
  }

  synchronized Future<T> next(Predicate<T> match) {
    for (int i = 0; i < events.size(); i++) {
      if (!handedOut.contains(i) && match.test(events.get(i))) {
        handedOut.add(i);
        return Future.succeededFuture(events.get(i));
      }
    }
    Promise<T> promise = Promise.promise();
    waiters.add(new Waiter<>(match, promise));
    return promise.future();
  }

  synchronized List<T> all() {
    return List.copyOf(events);
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
