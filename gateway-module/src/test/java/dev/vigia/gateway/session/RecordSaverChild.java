package dev.vigia.gateway.session;

import dev.vigia.common.SessionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link SessionRecordsSurviveKillTest}: forever, saves the record of each of
 * {@link #ORGS} orgs with the round as its {@code seq} (all at once, as a restore does) and prints
 * {@code ACK <round>} once every save is acknowledged. The parent kills it with SIGKILL.
 */
public final class RecordSaverChild {

  static final int ORGS = 20;

  private RecordSaverChild() {}

  public static void main(String[] args) {
    try {
      FileSessionRecordStore store = new FileSessionRecordStore(Vertx.vertx(), Path.of(args[0]));
      for (int round = 1; ; round++) {
        List<Future<Void>> saves = new ArrayList<>();
        for (int org = 1; org <= ORGS; org++) {
          saves.add(store.save(new SessionRecord(String.valueOf(org), SessionState.CONNECTED,
              null, null, null, null, null, true, round)));
        }
        Future.all(saves).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("ACK " + round);
        System.out.flush();
      }
    } catch (Throwable e) {
      System.out.println("FAILED " + e);
      System.out.flush();
      Runtime.getRuntime().halt(2);
    }
  }
}
