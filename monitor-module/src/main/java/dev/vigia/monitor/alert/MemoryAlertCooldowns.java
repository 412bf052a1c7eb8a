package dev.vigia.monitor.alert;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Alert cooldowns in memory: lost on a restart (then the next alert of a kind goes out). */
public final class MemoryAlertCooldowns implements AlertCooldowns {

  private record Key(String org, String kind) {}

  /** The last alert of one (org, kind) that went out, and how many were held back since. */
  private static final class Window {
    final Instant sentAt;
    int suppressed;

    Window(Instant sentAt) {
      this.sentAt = sentAt;
    }
  }

  private final Map<Key, Window> windows = new ConcurrentHashMap<>();

  @Override
  public Future<Claim> claim(String org, String kind, Instant now, Duration cooldown) {
    Key key = new Key(org, kind);
    Window last = windows.get(key);
    if (last != null && now.isBefore(last.sentAt.plus(cooldown))) {
      last.suppressed++;
      return Future.succeededFuture(new Claim(false, last.suppressed));
    }
    windows.put(key, new Window(now));
    return Future.succeededFuture(new Claim(true, 0));
  }

  @Override
  public Future<Set<String>> resolve(String org) {
    Set<String> resolved = new TreeSet<>();
    windows.keySet().removeIf(key -> key.org().equals(org) && resolved.add(key.kind()));
    return Future.succeededFuture(resolved);
  }
}
