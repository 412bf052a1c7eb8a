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
}
