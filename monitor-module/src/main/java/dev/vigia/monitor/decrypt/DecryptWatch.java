package dev.vigia.monitor.decrypt;

import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.logging.Masked;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.monitor.alert.AlertRouter;
import dev.vigia.monitor.gateway.GatewayError;
import dev.vigia.monitor.gateway.GatewayCommands;
import dev.vigia.monitor.health.HealthWatch;
import dev.vigia.monitor.journal.JournalWriter;
import dev.vigia.monitor.policy.AlertKind;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §3's decrypt row: Bad MAC and the like are counted per contact by the
 * {@link DecryptFailureTracker}; one contact over its threshold gets its Signal session reset
 * ({@code repair}, the login stays); many contacts failing make the org {@code degraded} with an
 * alert suggesting a clear. Never wipes a session. Use from one event loop.
 */
public final class DecryptWatch {

  /** A contact id longer than this is not a WhatsApp jid: not tracked. */
  static final int MAX_CONTACT_LENGTH = 256;

  private static final Logger log = LoggerFactory.getLogger(DecryptWatch.class);

  private final DecryptFailureTracker tracker;
  private final GatewayCommands gateway;
  private final JournalWriter journal;
  private final AlertRouter alerts;
  private final HealthWatch health;
  private final String actor;

  public DecryptWatch(DecryptFailureTracker tracker, GatewayCommands gateway,
      JournalWriter journal, AlertRouter alerts, HealthWatch health, String actor) {
    this.tracker = tracker;
    this.gateway = gateway;
    this.journal = journal;
    this.alerts = alerts;
    this.health = health;
    this.actor = actor;
  }

  /** One decrypt failure of {@code contact}'s messages on {@code org}'s session. */
  public void failure(String org, String contact, Instant now) {
    if (contact == null || contact.isBlank() || contact.length() > MAX_CONTACT_LENGTH) {
      return;
    }
    DecryptFailureTracker.Verdict v = tracker.record(org, contact, now);
    if (v.repairContact()) {
      repair(org, contact, v.failuresOfContact(), now);
    }
    if (v.becameDegraded()) {
      String reason = "Decrypt failures across many contacts: the stored keys may be damaged;"
          + " if this goes on, clear the session and link it again";
      health.refresh(org, reason, now);
      journal.append(new JournalEntry(org, now, JournalEntry.DECISION, null, null, null, reason,
          actor));
      alerts.raise(org, AlertKind.DECRYPT_DEGRADED, reason, now, null);
    } else if (v.recovered()) {
      health.refresh(org, "Decrypt failures are back under the threshold", now);
    }
  }

  /** The org's credentials changed (or it is gone): its old failures mean nothing. */
  public void forget(String org) {
    tracker.forget(org);
  }

  private void repair(String org, String contact, int failures, Instant now) {
    String reason = failures + " decrypt failures (Bad MAC or similar) from " + contact
        + " within the window: resetting that contact's Signal session only; the login stays";
    info(org, reason);
    journal.append(new JournalEntry(org, now, JournalEntry.REPAIR, null, null, null, reason,
        actor));
    gateway.repair(org, contact, reason).onFailure(err -> {
      // the tracker repairs a contact once per window: say so, or the failures look ignored
      String failed = "Resetting the Signal session of " + contact + " failed ("
          + GatewayError.of(err).describe() + "); it is tried again if the failures go on after"
          + " the window";
      OrgMdc.run(org, () -> log.warn("org {}: {}", org, Masked.in(failed)));
      journal.append(new JournalEntry(org, now, JournalEntry.REPAIR, null, null, null, failed,
          actor));
    });
  }

  private static void info(String org, String message) {
    String masked = Masked.in(message);
    OrgMdc.run(org, () -> log.info("org {}: {}", org, masked));
  }
}
