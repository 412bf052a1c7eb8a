package dev.vigia.monitor.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Decrypt failures (Bad MAC, MessageCounterError, no session) per org and contact in a sliding
 * window. They are not a corrupt login: one contact over its threshold gets its Signal session
 * repaired (once per window); many contacts failing make the org {@code degraded}. It never asks
 * to wipe a session. Not thread-safe: use it from one event loop.
 *
 * <p>Degraded when, inside the window, either {@code contactsOverThreshold} distinct contacts
 * each reached the per-contact threshold (default 3 contacts at 5 each), or there were at least
 * {@code spreadFailures} failures spread over at least {@code spreadContacts} contacts (default
 * 20 over 5): the first catches a few broken sessions, the second a store that lost many.
 */
public final class DecryptFailureTracker {

  public static final int DEFAULT_PER_CONTACT = 5;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  public static final int DEFAULT_CONTACTS_OVER_THRESHOLD = 3;
  public static final int DEFAULT_SPREAD_FAILURES = 20;
  public static final int DEFAULT_SPREAD_CONTACTS = 5;

  /**
   * What to do after one failure.
   *
   * @param repairContact reset this contact's Signal session now
   * @param becameDegraded the org just became degraded
   * @param recovered the org was degraded and no longer is
   * @param failuresOfContact this contact's failures inside the window
   */
  public record Verdict(boolean repairContact, boolean becameDegraded, boolean recovered,
      int failuresOfContact) {}

  private final int perContact;
  private final Duration window;
  private final int contactsOverThreshold;
  private final int spreadFailures;
  private final int spreadContacts;
  private final int keepPerContact;
  private final Map<String, OrgWindow> orgs = new HashMap<>();

  public DecryptFailureTracker(int perContact, Duration window, int contactsOverThreshold,
      int spreadFailures, int spreadContacts) {
    if (perContact < 1 || contactsOverThreshold < 1 || spreadFailures < 1 || spreadContacts < 1
        || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("decrypt-failure thresholds must be positive");
    }
    this.perContact = perContact;
    this.window = window;
    this.contactsOverThreshold = contactsOverThreshold;
    this.spreadFailures = spreadFailures;
    this.spreadContacts = spreadContacts;
    // older failures beyond this many cannot change any answer
    this.keepPerContact = Math.max(perContact, spreadFailures);
  }

  public static DecryptFailureTracker withDefaults() {
    return new DecryptFailureTracker(DEFAULT_PER_CONTACT, DEFAULT_WINDOW,
        DEFAULT_CONTACTS_OVER_THRESHOLD, DEFAULT_SPREAD_FAILURES, DEFAULT_SPREAD_CONTACTS);
  }

  public Verdict record(String org, String contact, Instant at) {
    OrgWindow w = orgs.computeIfAbsent(org, k -> new OrgWindow());
    prune(w, at);
    Deque<Instant> times = w.failures.computeIfAbsent(contact, k -> new ArrayDeque<>());
    times.addLast(at);
    if (times.size() > keepPerContact) {
      times.removeFirst();
    }
    boolean repair = times.size() >= perContact && !w.repairedAt.containsKey(contact);
    if (repair) {
      w.repairedAt.put(contact, at);
    }
    boolean degraded = isDegraded(w);
    boolean became = degraded && !w.degraded;
    boolean recovered = !degraded && w.degraded;
    w.degraded = degraded;
    return new Verdict(repair, became, recovered, times.size());
  }

  /** True while the org is degraded (as of its last recorded failure). */
  public boolean isDegraded(String org) {
    OrgWindow w = orgs.get(org);
    return w != null && w.degraded;
  }

  /** Drops what is known of {@code org}: its credentials changed, old failures mean nothing. */
  public void forget(String org) {
    orgs.remove(org);
  }

  private boolean isDegraded(OrgWindow w) {
    int over = 0;
    int total = 0;
    for (Deque<Instant> times : w.failures.values()) {
      total += times.size();
      if (times.size() >= perContact) {
        over++;
      }
    }
    return over >= contactsOverThreshold
        || (total >= spreadFailures && w.failures.size() >= spreadContacts);
  }

  private void prune(OrgWindow w, Instant now) {
    Instant from = now.minus(window);
    for (Iterator<Deque<Instant>> it = w.failures.values().iterator(); it.hasNext(); ) {
      Deque<Instant> times = it.next();
      while (!times.isEmpty() && !times.peekFirst().isAfter(from)) {
        times.removeFirst();
      }
      if (times.isEmpty()) {
        it.remove();
      }
    }
    w.repairedAt.values().removeIf(t -> !t.isAfter(from));
  }

  private static final class OrgWindow {
    final Map<String, Deque<Instant>> failures = new HashMap<>();
    /** One repair per contact per window: a burst must not reset a session over and over. */
    final Map<String, Instant> repairedAt = new HashMap<>();
    boolean degraded;
  }
}
