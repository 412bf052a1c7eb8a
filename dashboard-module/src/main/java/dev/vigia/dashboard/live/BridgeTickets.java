package dev.vigia.dashboard.live;

import dev.vigia.dashboard.web.ApiException;
import dev.vigia.dashboard.web.WebSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Single-use tickets for bridge clients that cannot send headers (SockJS in a browser of another
 * origin, the official {@code @vertx/eventbus-bridge-client.js}): a ticket travels in the URL
 * instead of a long-lived API key, opens one socket, and is worthless after {@link #VALID_FOR}
 * or its first use, so a proxy's log of the URL holds nothing that still works. A ticket
 * remembers the credential (a key's hash or a login), never a decided caller: the credential is
 * checked again when the socket opens, so a key revoked in between opens nothing.
 */
public final class BridgeTickets {

  public static final Duration VALID_FOR = Duration.ofSeconds(30);
  /** Bound on unused tickets, so asking for tickets in a loop cannot fill the heap. */
  static final int MAX_OPEN = 10_000;

  /** What a ticket stands for: an API key (by its hash) or a login (by its web session id). */
  public record Ticket(String keyHash, String loginId, Instant expiresAt) {}

  /** A new ticket: its value, to put in {@code ?ticket=}, and until when it may be used. */
  public record Issued(String value, Instant expiresAt) {}

  private final Clock clock;
  private final Map<String, Ticket> open = new HashMap<>();

  public BridgeTickets(Clock clock) {
    this.clock = clock;
  }

  public synchronized Issued issue(String keyHash, String loginId) {
    Instant now = clock.instant();
    open.values().removeIf(t -> !t.expiresAt().isAfter(now));
    if (open.size() >= MAX_OPEN) {
      throw new ApiException(429, "too_many_tickets",
          "too many unused bridge tickets: open a socket with one before asking for more");
    }
    String value = WebSessions.randomToken();
    Ticket ticket = new Ticket(keyHash, loginId, now.plus(VALID_FOR));
    open.put(value, ticket);
    return new Issued(value, ticket.expiresAt());
  }

  /** The ticket {@code value} stands for, used up by this call; empty when unknown or expired. */
  public synchronized Optional<Ticket> take(String value) {
    Ticket ticket = value == null ? null : open.remove(value);
    if (ticket == null || !ticket.expiresAt().isAfter(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(ticket);
  }
}
