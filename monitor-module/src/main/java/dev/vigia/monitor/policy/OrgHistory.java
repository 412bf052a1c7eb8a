package dev.vigia.monitor.policy;

import java.time.Instant;
import java.util.List;

/**
 * What the policy remembers of one org between events.
 *
 * @param failures transient and bad-session closes inside the breaker window, oldest first
 * @param attempt the last reconnect attempt scheduled; 0 after {@code CONNECTED}
 * @param consecutiveBadSessions 500s in a row, without another close cause or a connect between
 * @param linking a QR or pairing code was shown and the session has not connected since
 * @param restartWhileLinking the last close was a 515 while linking (a scan just happened)
 */
public record OrgHistory(
    List<Instant> failures,
    int attempt,
    int consecutiveBadSessions,
    boolean linking,
    boolean restartWhileLinking) {

  public OrgHistory {
    failures = List.copyOf(failures);
  }

  public static OrgHistory empty() {
    return new OrgHistory(List.of(), 0, 0, false, false);
  }

  /** Failures strictly after {@code from}. */
  public int failuresAfter(Instant from) {
    return (int) failures.stream().filter(t -> t.isAfter(from)).count();
  }
}
