package dev.vigia.gateway.session;

import static dev.vigia.gateway.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link SessionRecordStore} must do (files, PostgreSQL): a concrete test says how to
 * make an empty store and how to open the same storage again, as a restart would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SessionRecordStoreContractTest {

  protected Vertx vertx;
  protected SessionRecordStore store;

  /** A new store with nothing in it. */
  protected abstract SessionRecordStore newStore(Vertx vertx) throws Exception;

  /** Another store over the same storage (a restart). */
  protected abstract SessionRecordStore reopen(Vertx vertx) throws Exception;

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = newStore(vertx);
  }

  static final SessionRecord TWO = new SessionRecord("2", SessionState.CONNECTED,
      Instant.parse("2026-01-02T03:04:05.123Z"), Cause.restartRequired(),
      new SessionView.Me("5215550000001:7@s.whatsapp.net", "Ñandú Org"),
      Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-03T00:00:00Z"), true, 12);
  static final SessionRecord FOUR = new SessionRecord("4", SessionState.CONFLICT, Instant.EPOCH,
      Cause.conflict(), null, null, null, false, 3);

  @Test
  void recordsSurviveARestartWhole() throws Exception {
    result(store.save(TWO));
    result(store.save(FOUR));
    result(store.save(FOUR));
    assertEquals(List.of(TWO, FOUR), sorted(result(reopen(vertx).loadAll())));
  }

  @Test
  void aSaveReplacesTheOrgsRecord() throws Exception {
    result(store.save(FOUR));
    SessionRecord stopped = new SessionRecord("4", SessionState.STOPPED, Instant.EPOCH, null,
        null, null, null, false, 4);
    result(store.save(stopped));
    assertEquals(List.of(stopped), result(reopen(vertx).loadAll()));
  }

  @Test
  void savesOfOneOrgAskedAtOnceAllCompleteAndTheLastOneStays() throws Exception {
    List<Future<Void>> saves = new ArrayList<>();
    for (long seq = 1; seq <= 50; seq++) {
      saves.add(store.save(new SessionRecord("2", SessionState.STARTING, null, null, null, null,
          null, true, seq)));
      saves.add(store.save(new SessionRecord("3", SessionState.STOPPED, null, null, null, null,
          null, false, seq)));
    }
    result(Future.all(saves));
    assertEquals(List.of(50L, 50L),
        sorted(result(reopen(vertx).loadAll())).stream().map(SessionRecord::seq).toList());
  }

  @Test
  void aDeletedRecordIsGoneAndDeletingAgainIsFine() throws Exception {
    result(store.save(TWO));
    result(store.save(FOUR));
    result(store.delete("2"));
    result(store.delete("2"));
    result(store.delete("9"));
    assertEquals(List.of(FOUR), result(reopen(vertx).loadAll()));
  }

  @Test
  void aBadOrgIdIsRefusedAndStoresNothing() throws Exception {
    for (String bad : List.of("../x", "a/b", "", "a".repeat(65))) {
      boolean refused;
      try {
        refused = store.save(new SessionRecord(bad, SessionState.STOPPED, null, null, null, null,
            null, false, 0)).toCompletionStage().toCompletableFuture()
            .handle((v, e) -> e != null).get(10, TimeUnit.SECONDS);
      } catch (IllegalArgumentException e) {
        refused = true;
      }
      assertTrue(refused, "refused: " + bad);
    }
    assertTrue(result(reopen(vertx).loadAll()).isEmpty());
  }

  @Test
  void anEmptyStoreHasNoRecords() throws Exception {
    assertTrue(result(store.loadAll()).isEmpty());
  }

  static List<SessionRecord> sorted(List<SessionRecord> records) {
    return records.stream().sorted(Comparator.comparing(SessionRecord::org)).toList();
  }
}
