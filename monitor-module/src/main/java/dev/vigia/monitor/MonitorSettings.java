package dev.vigia.monitor;

import dev.vigia.monitor.policy.DecryptFailureTracker;
import dev.vigia.monitor.policy.ReconnectBackoff;
import dev.vigia.monitor.policy.SessionPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** The monitor's thresholds and timings; tests shrink them instead of sleeping. */
public record MonitorSettings(
    Duration backoffBase,
    Duration backoffCap,
    int breakerFailures,
    Duration breakerWindow,
    int badSessionLimit,
    int decryptPerContact,
    Duration decryptWindow,
    int decryptContactsOverThreshold,
    int decryptSpreadFailures,
    int decryptSpreadContacts) {

  /** DESIGN §3: 1 s → 5 min backoff, 10 failures in 10 min, 3 bad sessions, 5 decrypts in 10 min. */
  public static MonitorSettings defaults() {
    return new MonitorSettings(ReconnectBackoff.DEFAULT_BASE, ReconnectBackoff.DEFAULT_CAP,
        SessionPolicy.DEFAULT_BREAKER_FAILURES, SessionPolicy.DEFAULT_BREAKER_WINDOW,
        SessionPolicy.DEFAULT_BAD_SESSION_LIMIT, DecryptFailureTracker.DEFAULT_PER_CONTACT,
        DecryptFailureTracker.DEFAULT_WINDOW, DecryptFailureTracker.DEFAULT_CONTACTS_OVER_THRESHOLD,
        DecryptFailureTracker.DEFAULT_SPREAD_FAILURES,
        DecryptFailureTracker.DEFAULT_SPREAD_CONTACTS);
  }

  public MonitorSettings withBackoff(Duration base, Duration cap) {
    return new MonitorSettings(base, cap, breakerFailures, breakerWindow, badSessionLimit,
        decryptPerContact, decryptWindow, decryptContactsOverThreshold, decryptSpreadFailures,
        decryptSpreadContacts);
  }

  public MonitorSettings withBreaker(int failures, Duration window) {
    return new MonitorSettings(backoffBase, backoffCap, failures, window, badSessionLimit,
        decryptPerContact, decryptWindow, decryptContactsOverThreshold, decryptSpreadFailures,
        decryptSpreadContacts);
  }

  public SessionPolicy policy(RandomGenerator random) {
    return new SessionPolicy(new ReconnectBackoff(backoffBase, backoffCap, random),
        breakerFailures, breakerWindow, badSessionLimit);
  }

  /** The waits between tries of a gateway command that failed (same base and cap). */
  public ReconnectBackoff commandBackoff(RandomGenerator random) {
    return new ReconnectBackoff(backoffBase, backoffCap, random);
  }

  public DecryptFailureTracker decryptTracker() {
    return new DecryptFailureTracker(decryptPerContact, decryptWindow,
        decryptContactsOverThreshold, decryptSpreadFailures, decryptSpreadContacts);
  }
}
