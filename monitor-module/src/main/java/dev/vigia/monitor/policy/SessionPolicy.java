package dev.vigia.monitor.policy;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DESIGN §3 as a function: (state, cause, history, now) → {@link Decision}. It keeps no state and
 * sends nothing; {@link #remember} says how the org's history moves on after a decision. The only
 * input besides its arguments is the backoff's random generator (the jitter).
 */
public final class SessionPolicy {

  public static final int DEFAULT_BREAKER_FAILURES = 10;
  public static final Duration DEFAULT_BREAKER_WINDOW = Duration.ofMinutes(10);
  public static final int DEFAULT_BAD_SESSION_LIMIT = 3;

  private final ReconnectBackoff backoff;
  private final int breakerFailures;
  private final Duration breakerWindow;
  private final int badSessionLimit;

  public SessionPolicy(ReconnectBackoff backoff, int breakerFailures, Duration breakerWindow,
      int badSessionLimit) {
    if (breakerFailures < 1 || badSessionLimit < 1 || breakerWindow.isNegative()
        || breakerWindow.isZero()) {
      throw new IllegalArgumentException("breaker and bad-session limits must be positive");
    }
    this.backoff = backoff;
    this.breakerFailures = breakerFailures;
    this.breakerWindow = breakerWindow;
    this.badSessionLimit = badSessionLimit;
  }

  public Decision decide(PolicyInput in) {
    Cause cause = in.cause();
    SessionState state = in.state();
    if (state == null) {
      return new Decision.Ignore("state change without a state");
    }
    return switch (state) {
      case RECONNECTING -> in.reconnectScheduled()
          ? new Decision.Ignore("reconnect already scheduled")
          : onClose(in);
      // 440: another client holds these credentials; retrying makes both evict each other forever
      case CONFLICT -> new Decision.AwaitPerson(AlertKind.CONFLICT,
          "Another client is using these credentials" + code(cause) + ": not reconnecting"
              + " automatically, or both would evict each other forever; take over or clear the"
              + " session");
      case LOGGED_OUT -> onLoggedOut(in);
      // 402 / 403 / 406: nothing automatic helps a restricted account
      case BANNED -> new Decision.AwaitPerson(AlertKind.BANNED,
          "WhatsApp restricted this account" + code(cause) + ": no automatic retries; the"
              + " account owner must resolve it with WhatsApp");
      case FAILED -> isOutdated(cause)
          ? new Decision.Fail(AlertKind.OUTDATED, "WhatsApp refuses this client as outdated"
              + code(cause) + ": the engine must be upgraded; no automatic retries")
          : is(cause, Cause.ARCHIVE_FAILED)
              // a 401 whose credentials stayed in place: only a person's clear makes it safe
              ? new Decision.Fail(AlertKind.ARCHIVE_FAILED, "WhatsApp logged this device out"
                  + " and the gateway could not archive its credentials" + code(cause)
                  + ": no automatic retries; clear the session, then link it again with a new QR")
              : new Decision.Ignore("already failed");
      case STOPPED -> is(cause, Cause.QR_EXPIRED)
          ? new Decision.Stop("Nobody scanned the QR codes in time" + code(cause)
              + ": session stopped; Connect makes a new QR")
          : new Decision.Ignore("stopped");
      case STARTING, QR_REQUIRED, PAIRING_CODE, CONNECTED -> new Decision.Ignore("live");
    };
  }

  /** The gateway reports a close it does not judge: restart, transient, or suspect. */
  private Decision onClose(PolicyInput in) {
    Cause cause = in.cause();
    OrgHistory h = in.history();
    if (is(cause, Cause.ENGINE_RESTART)) {
      // an operator restarted the engine: nothing is wrong with the session itself
      return new Decision.ConnectNow("The WhatsApp engine was restarted by an operator:"
          + " reconnecting now");
    }
    if (hasCode(cause, 515)) {
      // 515 is how WhatsApp finishes a link: it wants a fresh connection at once
      return new Decision.ConnectNow(h.linking()
          ? "Restart required after the QR was scanned (515): reconnecting now"
          : "WhatsApp asked for a fresh connection (515): reconnecting now");
    }
    int failuresInWindow = h.failuresAfter(in.now().minus(breakerWindow)) + 1;
    if (hasCode(cause, 500)) {
      int inARow = h.consecutiveBadSessions() + 1;
      if (inARow >= badSessionLimit) {
        return new Decision.Fail(AlertKind.BAD_SESSION, "WhatsApp rejected the stored session "
            + inARow + " times in a row (500): it looks corrupt; clear the session and link it"
            + " again with a new QR");
      }
    }
    if (failuresInWindow >= breakerFailures) {
      return new Decision.Fail(AlertKind.BREAKER_OPEN, "Gave up after " + failuresInWindow
          + " failures in " + human(breakerWindow) + " (last: " + what(cause) + "): check the"
          + " network and the phone, then connect again");
    }
    int attempt = h.attempt() + 1;
    Duration wait = backoff.delay(attempt);
    return new Decision.RetryLater(attempt, in.now().plus(wait),
        what(cause) + ": reconnect attempt " + attempt + " in " + human(wait));
  }

  private Decision onLoggedOut(PolicyInput in) {
    if (in.history().restartWhileLinking()) {
      // a 401 right after the 515 of a scan: the link itself failed, the phone is still at hand
      return new Decision.ArchiveAndOfferQr("Linking failed: WhatsApp logged the new device out"
          + " right after the scan (401 after 515): archiving the credentials and offering a new"
          + " QR");
    }
    return new Decision.AwaitPerson(AlertKind.LOGGED_OUT, "The phone or WhatsApp removed this"
        + " device" + code(in.cause()) + ": the session must be linked again with a new QR; clear"
        + " it to archive the old credentials");
  }

  /** The org's history after {@code decision} was taken on {@code in}. */
  public OrgHistory remember(PolicyInput in, Decision decision) {
    OrgHistory h = in.history();
    SessionState state = in.state();
    if (state == null) {
      return h;
    }
    List<Instant> failures = recent(h.failures(), in.now());
    switch (state) {
      case CONNECTED:
        // the breaker keeps counting drops across connects: a flapping session must still stop
        return new OrgHistory(failures, 0, 0, false, false);
      case STARTING:
      case QR_REQUIRED:
      case PAIRING_CODE:
        boolean linking = h.linking() || state != SessionState.STARTING;
        if (isRest(in.from())) {
          // a person started the session again: a fresh budget
          return new OrgHistory(List.of(), 0, 0, state != SessionState.STARTING, false);
        }
        return new OrgHistory(failures, h.attempt(), h.consecutiveBadSessions(), linking,
            h.restartWhileLinking());
      case STOPPED:
        return new OrgHistory(failures, 0, 0, false, false);
      case RECONNECTING:
        if (in.reconnectScheduled()) {
          return new OrgHistory(failures, h.attempt(), h.consecutiveBadSessions(), h.linking(),
              h.restartWhileLinking());
        }
        if (is(in.cause(), Cause.ENGINE_RESTART)) {
          // not WhatsApp's answer: neither a failure nor a sign the session is fine
          return new OrgHistory(failures, h.attempt(), h.consecutiveBadSessions(), h.linking(),
              false);
        }
        if (hasCode(in.cause(), 515)) {
          return new OrgHistory(failures, h.attempt(), 0, h.linking(), h.linking());
        }
        List<Instant> more = new ArrayList<>(failures);
        more.add(in.now());
        int attempt = decision instanceof Decision.RetryLater r ? r.attempt() : h.attempt();
        int bad = hasCode(in.cause(), 500) ? h.consecutiveBadSessions() + 1 : 0;
        return new OrgHistory(more, attempt, bad, h.linking(), false);
      default:
        // conflict, logged out, banned, failed: a person acts next
        return new OrgHistory(failures, 0, 0, false, false);
    }
  }

  private List<Instant> recent(List<Instant> failures, Instant now) {
    Instant from = now.minus(breakerWindow);
    return failures.stream().filter(t -> t.isAfter(from)).toList();
  }

  /** States where nothing runs until a person acts. */
  private static boolean isRest(SessionState s) {
    return s == null || s == SessionState.STOPPED || s == SessionState.FAILED
        || s == SessionState.CONFLICT || s == SessionState.LOGGED_OUT || s == SessionState.BANNED;
  }

  private static boolean isOutdated(Cause cause) {
    return is(cause, Cause.OUTDATED) || hasCode(cause, 405) || hasCode(cause, 411);
  }

  private static boolean is(Cause cause, String reason) {
    return cause != null && reason.equals(cause.reason());
  }

  private static boolean hasCode(Cause cause, int code) {
    return cause != null && cause.code() != null && cause.code() == code;
  }

  private static String code(Cause cause) {
    return cause == null || cause.code() == null ? "" : " (" + cause.code() + ")";
  }

  /** The close, in words: "The connection was lost (408)". */
  static String what(Cause cause) {
    if (cause == null || cause.reason() == null) {
      return "The connection closed" + code(cause);
    }
    return switch (cause.reason()) {
      case Cause.CONNECTION_CLOSED -> "WhatsApp closed the connection" + code(cause);
      case Cause.CONNECTION_LOST -> "The connection was lost" + code(cause);
      case Cause.UNAVAILABLE -> "WhatsApp's service is unavailable" + code(cause);
      case Cause.NETWORK_DOWN -> "The network is down";
      case Cause.BAD_SESSION -> "WhatsApp rejected the stored session" + code(cause);
      case Cause.ENGINE_UNAVAILABLE -> "The WhatsApp engine is not available";
      case Cause.CREDS_WRITE_FAILED -> "The credentials could not be saved, so the connection"
          + " was closed";
      default -> "The connection closed" + code(cause)
          + (cause.message() == null ? "" : " (" + cause.message() + ")");
    };
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms % 60_000 == 0) {
      return (ms / 60_000) + " minutes";
    }
    return String.format(Locale.ROOT, "%.1f minutes", ms / 60_000.0);
  }
}
