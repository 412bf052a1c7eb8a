package dev.vigia.monitor.health;

import dev.vigia.common.SessionState;
import dev.vigia.common.monitor.SessionHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the monitor knows of each org's health: state and since, last activity, last keep-alive,
 * decrypt failures of the last hour. Not thread-safe: used from the monitor's event loop.
 */
public final class HealthBook {

  /** Baileys pings every 30 s: three missed pings mean the socket is half dead. */
  public static final Duration KEEP_ALIVE_STALE = Duration.ofSeconds(90);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final int MAX_FAILURES_KEPT = 10_000;

  private static final class OrgHealth {
    SessionState state;
    Instant since;
    Instant lastActivity;
    Instant lastKeepAlive;
    final Deque<Instant> decryptFailures = new ArrayDeque<>();
    String published = SessionHealth.OK;
  }

  private final Map<String, OrgHealth> orgs = new HashMap<>();

  public void state(String org, SessionState state, Instant at) {
    OrgHealth h = of(org);
    if (h.state != state || h.since == null) {
      h.since = at;
    }
    h.state = state;
    if (state == SessionState.CONNECTED) {
      h.lastActivity = at;
    }
    if (state != SessionState.CONNECTED) {
      // a keep-alive of an old socket says nothing about the next one
      h.lastKeepAlive = null;
    }
  }

  public void activity(String org, boolean keepAlive, Instant at) {
    OrgHealth h = of(org);
    h.lastActivity = at;
    if (keepAlive) {
      h.lastKeepAlive = at;
    }
  }

  public void decryptFailure(String org, Instant at) {
    OrgHealth h = of(org);
    h.decryptFailures.addLast(at);
    if (h.decryptFailures.size() > MAX_FAILURES_KEPT) {
      h.decryptFailures.removeFirst();
    }
  }

  public void forget(String org) {
    orgs.remove(org);
  }

  public SessionState state(String org) {
    OrgHealth h = orgs.get(org);
    return h == null ? null : h.state;
  }

  /**
   * The org's health now. {@code gatewayState}/{@code gatewaySince} (when the gateway answered)
   * win over what the monitor heard; {@code credsReadable} is the gateway's word.
   */
  public SessionHealth evaluate(String org, SessionState gatewayState, Instant gatewaySince,
      Instant gatewayActivity, boolean credsReadable, boolean decryptDegraded, Instant now) {
    OrgHealth h = of(org);
    SessionState state = gatewayState != null ? gatewayState : h.state;
    Instant since = gatewaySince != null ? gatewaySince : h.since;
    Instant lastActivity = latest(h.lastActivity, gatewayActivity);
    while (!h.decryptFailures.isEmpty() && !h.decryptFailures.peekFirst().isAfter(now.minus(HOUR))) {
      h.decryptFailures.removeFirst();
    }
    int perHour = h.decryptFailures.size();
    Long keepAliveAge = h.lastKeepAlive == null ? null
        : Duration.between(h.lastKeepAlive, now).toSeconds();
    boolean connected = state == SessionState.CONNECTED;
    boolean keepAliveStale = connected && keepAliveAge != null
        && keepAliveAge > KEEP_ALIVE_STALE.toSeconds();

    List<SessionHealth.Check> checks = new ArrayList<>();
    checks.add(new SessionHealth.Check("connection", connected ? SessionHealth.OK : SessionHealth.DOWN,
        state == null ? "Session never started" : "Session is " + state));
    checks.add(new SessionHealth.Check("keep_alive",
        keepAliveStale ? SessionHealth.DEGRADED : SessionHealth.OK,
        keepAliveAge == null ? "No keep-alive seen on this connection yet"
            : "Last keep-alive " + keepAliveAge + " s ago"
                + (keepAliveStale ? " (over " + KEEP_ALIVE_STALE.toSeconds() + " s)" : "")));
    checks.add(new SessionHealth.Check("decrypt",
        decryptDegraded ? SessionHealth.DEGRADED : SessionHealth.OK,
        perHour + " decrypt failures in the last hour"
            + (decryptDegraded ? "; many contacts fail: consider clearing the session" : "")));
    checks.add(new SessionHealth.Check("credentials",
        credsReadable || !connected ? SessionHealth.OK : SessionHealth.DEGRADED,
        credsReadable ? "Linked credentials are stored" : "No linked credentials stored"));

    String status = !connected ? SessionHealth.DOWN
        : decryptDegraded || keepAliveStale ? SessionHealth.DEGRADED : SessionHealth.OK;
    long inState = since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
    return new SessionHealth(org, status, state, inState, lastActivity, keepAliveAge, perHour,
        credsReadable || connected, List.copyOf(checks));
  }

  /** Records {@code status} as the last published one; true when it changed. */
  public boolean changed(String org, String status) {
    OrgHealth h = of(org);
    if (status.equals(h.published)) {
      return false;
    }
    h.published = status;
    return true;
  }

  private OrgHealth of(String org) {
    return orgs.computeIfAbsent(org, k -> new OrgHealth());
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
