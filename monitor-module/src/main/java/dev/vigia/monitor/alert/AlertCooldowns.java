package dev.vigia.monitor.alert;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One alert per (org, kind) per cooldown: which alert may go out now, and which kinds an org had
 * when its session is back. {@link MemoryAlertCooldowns} forgets them on a restart (the file
 * store's behaviour); {@link PgAlertCooldowns} keeps them in PostgreSQL, decided in one statement
 * so two nodes never both send.
 */
public interface AlertCooldowns {

  /** {@code send}: this alert goes out; else it is held back, the {@code suppressed}-th since. */
  record Claim(boolean send, int suppressed) {}

  /**
   * Claims (org, kind) at {@code now}: it may go out unless one went out less than
   * {@code cooldown} ago; then the held-back count grows by one.
   */
  Future<Claim> claim(String org, String kind, Instant now, Duration cooldown);

  /** Forgets every cooldown of {@code org}; completes with the kinds that had one. */
  Future<Set<String>> resolve(String org);
}
