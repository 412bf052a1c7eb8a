package dev.vigia.dashboard.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side login sessions: a random id in the {@code vigia_session} cookie, the user and the
 * session's CSRF token here. A session unused for {@link #IDLE} is gone. In memory: a restart
 * logs everyone out, which is acceptable for a console.
 */
public final class WebSessions {

  public static final Duration IDLE = Duration.ofHours(12);

  /** One login. {@code xsrfToken} is what {@code X-XSRF-TOKEN} must carry. */
  public record WebSession(String id, String username, String xsrfToken, Instant lastSeen) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, WebSession> byId = new ConcurrentHashMap<>();

  public WebSessions(Clock clock) {
    this.clock = clock;
  }

  public WebSession create(String username) {
    Instant now = clock.instant();
    byId.values().removeIf(s -> expired(s, now));
    WebSession session = new WebSession(randomToken(), username, randomToken(), now);
    byId.put(session.id(), session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; empty when unknown or expired. */
  public Optional<WebSession> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    WebSession session = byId.get(id);
    Instant now = clock.instant();
    if (session == null) {
      return Optional.empty();
    }
    if (expired(session, now)) {
      byId.remove(id);
      return Optional.empty();
    }
    WebSession touched = new WebSession(session.id(), session.username(), session.xsrfToken(), now);
    byId.put(id, touched);
    return Optional.of(touched);
  }

  public void remove(String id) {
    if (id != null) {
      byId.remove(id);
    }
  }

  /** Logs {@code username} out everywhere: its next request with any old cookie is a 401. */
  public void removeUser(String username) {
    byId.values().removeIf(s -> s.username().equals(username));
  }

  private static boolean expired(WebSession s, Instant now) {
    return !s.lastSeen().plus(IDLE).isAfter(now);
  }

  /** 256 random bits, URL-safe. */
  public static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
