package dev.vigia.monitor.journal;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.journal.JournalEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link JournalSurvivesKillTest}: forever, appends the line {@code round <n>} to
 * the journal of each of {@link #ORGS} orgs (all at once) and prints {@code ACK <n>} once every
 * append is acknowledged. The parent kills it with SIGKILL.
 */
public final class JournalWriterChild {

  static final int ORGS = 10;

  private JournalWriterChild() {}

  static JournalEntry line(String org, int round) {
    return new JournalEntry(org, Instant.parse("2026-03-01T10:00:00Z").plusSeconds(round),
        JournalEntry.STATE, SessionState.CONNECTED, SessionState.RECONNECTING,
        Cause.connectionLost(), "round " + round, null);
  }

  public static void main(String[] args) {
    try {
      FileJournal journal = new FileJournal(Vertx.vertx(), Path.of(args[0]));
      for (int round = 1; ; round++) {
        List<Future<Void>> appends = new ArrayList<>();
        for (int org = 1; org <= ORGS; org++) {
          appends.add(journal.append(line(String.valueOf(org), round)));
        }
        Future.all(appends).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
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
