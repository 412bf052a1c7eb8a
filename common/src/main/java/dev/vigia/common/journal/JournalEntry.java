package dev.vigia.common.journal;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.time.Instant;

/**
 * One line of an org's journal: a state change ({@code kind = "state"}) or a decision, alert or
 * repair, with the cause and a sentence an operator understands. Never holds a QR or credentials.
 */
public record JournalEntry(
    String org,
    Instant at,
    String kind,
    SessionState from,
    SessionState to,
    Cause cause,
    String message,
    String actor) {

  public static final String STATE = "state";
  public static final String DECISION = "decision";
  public static final String ALERT = "alert";
  public static final String REPAIR = "repair";
  /** A person's command that concerns the org (clear, engine restart), with who gave it. */
  public static final String OPERATION = "operation";

  /** Where the monitor publishes each line it has written for {@code org} (live log views). */
  public static String addressFor(String org) {
    return "vigia.monitor.journal.entry." + org;
  }
}
