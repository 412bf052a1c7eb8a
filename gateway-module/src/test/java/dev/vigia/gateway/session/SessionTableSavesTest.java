package dev.vigia.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table writes at most one record save of an org at a time: the changes made meanwhile are
 * saved as one, of the newest state, and every change's save completes only once that state (or
 * a newer one) is durable. Against the real file store, whose first save is held open.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionTableSavesTest {

  @TempDir
  Path dataDir;

  /** The real store; the first save is acknowledged only when the test says so. */
  private static final class HeldStore implements SessionRecordStore {
    final FileSessionRecordStore files;
    final Promise<Void> firstHeld = Promise.promise();
    final List<SessionRecord> saved = new ArrayList<>();

    HeldStore(FileSessionRecordStore files) {
      this.files = files;
    }

    @Override
    public Future<List<SessionRecord>> loadAll() {
      return files.loadAll();
    }

    @Override
    public synchronized Future<Void> save(SessionRecord record) {
      saved.add(record);
      Future<Void> written = files.save(record);
      return saved.size() == 1 ? written.compose(v -> firstHeld.future()) : written;
    }

    @Override
    public Future<Void> delete(String org) {
      return files.delete(org);
    }
  }

  @Test
  void changesMadeWhileASaveIsWrittenAreSavedAsOneOfTheNewestState(Vertx vertx)
      throws Exception {
    HeldStore store = new HeldStore(new FileSessionRecordStore(vertx, dataDir));
    SessionTable table = onLoop(vertx, () -> new SessionTable(new OwningContext(),
        vertx.eventBus(), store, Clock.systemUTC()));
    List<Future<Void>> saves = onLoop(vertx, () -> List.of(
        table.change("2").to(SessionState.RECONNECTING, Cause.connectionLost()),
        table.change("2").to(SessionState.RECONNECTING, Cause.connectionLost()),
        table.change("2").to(SessionState.STARTING, null),
        table.change("2").connectedAt(java.time.Instant.now())
            .to(SessionState.CONNECTED, null)));
    Thread.sleep(200);
    assertFalse(saves.get(3).isComplete(), "not acknowledged before its state is durable");
    assertEquals(1, store.saved.size(), "one save of the org written at a time");

    onLoop(vertx, () -> store.firstHeld.tryComplete());
    for (Future<Void> save : saves) {
      await(save);
    }
    assertEquals(2, store.saved.size(), "the three changes made meanwhile: one save");
    assertEquals(SessionState.CONNECTED, store.saved.get(1).state());
    assertEquals(4, store.saved.get(1).seq());
    assertNull(onLoop(vertx, table::unsaved));

    // what a restart reads: the newest state
    await(store.files.close());
    FileSessionRecordStore reopened = new FileSessionRecordStore(vertx, dataDir);
    List<SessionRecord> loaded = await(reopened.loadAll());
    await(reopened.close());
    assertEquals(1, loaded.size());
    assertEquals(SessionState.CONNECTED, loaded.get(0).state());
    assertEquals(4, loaded.get(0).seq());
  }

  @Test
  void anOrgForgottenWhileItsSavesWaitStaysForgotten(Vertx vertx) throws Exception {
    HeldStore store = new HeldStore(new FileSessionRecordStore(vertx, dataDir));
    SessionTable table = onLoop(vertx, () -> new SessionTable(new OwningContext(),
        vertx.eventBus(), store, Clock.systemUTC()));
    List<Future<Void>> saves = onLoop(vertx, () -> List.of(
        table.change("3").to(SessionState.STOPPED, null),
        table.change("3").to(SessionState.LOGGED_OUT, null)));
    Future<Void> forgotten = onLoop(vertx, () -> table.forget("3"));
    onLoop(vertx, () -> store.firstHeld.tryComplete());
    await(forgotten);
    for (Future<Void> save : saves) {
      await(save);
    }
    assertEquals(1, store.saved.size(), "nothing saved after the org was forgotten");

    await(store.files.close());
    FileSessionRecordStore reopened = new FileSessionRecordStore(vertx, dataDir);
    assertTrue(await(reopened.loadAll()).isEmpty(), "the forgotten org's record is gone");
    await(reopened.close());
  }

  /** Runs {@code action} on an event loop of its own (the table's owning context). */
  private <T> T onLoop(Vertx vertx, Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (context == null) {
      context = vertx.getOrCreateContext();
    }
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  private io.vertx.core.Context context;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
