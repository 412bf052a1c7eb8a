package dev.vigia.common.storage;

import java.nio.file.Path;

/** Child JVM for {@link DataDirLockTest}: takes the lock, says {@code LOCKED}, holds it until killed. */
public final class LockHolderChild {

  private LockHolderChild() {}

  public static void main(String[] args) throws Exception {
    DataDirLock lock = DataDirLock.acquire(Path.of(args[0]));
    System.out.println("LOCKED");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lock until the parent closes our stdin or kills us
    }
    lock.close();
  }
}
