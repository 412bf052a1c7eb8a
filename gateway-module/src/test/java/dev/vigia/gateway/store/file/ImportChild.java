package dev.vigia.gateway.store.file;

import dev.vigia.gateway.store.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child JVM for {@link KilledImportTest}: imports a folder and prints {@code COPYING} once the
 * staging folder fills, so the parent can kill it midway; {@code IMPORTED} when done.
 */
public final class ImportChild {

  private ImportChild() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      System.out.println("FAILED " + e);
      System.out.flush();
      Runtime.getRuntime().halt(2); // Vert.x threads would keep the JVM alive
    }
  }

  private static void run(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Vertx vertx = Vertx.vertx();
    FileAuthStateStore store = new FileAuthStateStore(vertx, dataDir, Clock.systemUTC());
    Await.result(store.open());
    Thread watcher = new Thread(() -> announceCopying(dataDir.resolve("auth_sessions")));
    watcher.setDaemon(true);
    watcher.start();
    Await.result(store.importBaileysFolder(args[1], Path.of(args[2])));
    System.out.println("IMPORTED");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void announceCopying(Path sessions) {
    try {
      while (true) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sessions, ".import-*")) {
          for (Path staging : entries) {
            try (DirectoryStream<Path> copied = Files.newDirectoryStream(staging)) {
              int n = 0;
              for (Path ignored : copied) {
                n++;
              }
              if (n >= 30) {
                System.out.println("COPYING " + n);
                System.out.flush();
                return;
              }
            }
          }
        } catch (IOException raced) {
          // the staging folder moved while we looked: try again
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
