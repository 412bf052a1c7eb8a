package dev.vigia.monitor.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigia.common.Cause;
import dev.vigia.common.journal.JournalEntry;
import java.time.Instant;

/**
 * The final word on one alert for one recipient, or on a suppressed alert: what the journal says
 * about alerts. Recipients are e-mail addresses or webhook URLs cut to scheme, host and port.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertOutcome(
    String org,
    String kind,
    String status,
    String channel,
    String recipient,
    int attempts,
    int suppressed,
    String error,
    Cause cause,
    Instant at) {

  /** The recipient accepted it (SMTP accepted the mail, the webhook answered 2xx). */
  public static final String DELIVERED = "delivered";
  /** Every attempt failed, or the recipient is unusable; {@code error} says why. */
  public static final String FAILED = "failed";
  /** Within the cooldown of the same (org, kind); {@code suppressed} counts them. */
  public static final String SUPPRESSED = "suppressed";
  /** Nothing to send through: no recipients, or the channel is off; {@code error} says why. */
  public static final String SKIPPED = "skipped";

  public static final String EMAIL = "email";
  public static final String WEBHOOK = "webhook";
  /** The org's alert settings (recipients) could not be read. */
  public static final String SETTINGS = "settings";

  /** Who the journal names as the author of alert lines. */
  public static final String ACTOR = "monitor";

  /** A sentence an operator understands. */
  public String message() {
    String what = "alert '" + kind + "'";
    return switch (status) {
      case DELIVERED -> what + " delivered by " + channel + " to " + recipient + " after "
          + attempts + (attempts == 1 ? " attempt" : " attempts");
      case FAILED -> SETTINGS.equals(channel)
          ? what + ": the org's alert settings could not be read (" + error
              + "); sent to the global recipients only"
          : what + " NOT delivered by " + channel + " to " + recipient + " after " + attempts
              + (attempts == 1 ? " attempt" : " attempts") + ": " + error;
      case SUPPRESSED -> what + " not sent again: within the cooldown (" + suppressed
          + " suppressed since the last one sent)";
      default -> what + " not sent" + (channel == null ? "" : " by " + channel)
          + (recipient == null ? "" : " to " + recipient) + ": " + error;
    };
  }

  /** The journal line for this outcome ({@code kind = alert}). */
  public JournalEntry toJournalEntry() {
    return new JournalEntry(org, at, JournalEntry.ALERT, null, null, cause, message(), ACTOR);
  }
}
