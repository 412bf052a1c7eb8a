package dev.vigia.dashboard.web;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Server-side logins: a random id in the {@code vigia_session} cookie, the user and the login's
 * CSRF token here. A login unused for {@link #IDLE} is gone. {@link MemoryWebSessions} (the file
 * store's: a restart logs everyone out) or {@link PgWebSessions} (PostgreSQL: logins survive a
 * restart and are shared by the nodes).
 */
public interface WebSessions {

  Duration IDLE = Duration.ofHours(12);

  /** One login. {@code xsrfToken} is what {@code X-XSRF-TOKEN} must carry. */
  record WebSession(String id, String username, String xsrfToken, Instant lastSeen) {}

  Future<WebSession> create(String username);

  /** The live login with this id, its idle clock restarted; empty when unknown or expired. */
  Future<Optional<WebSession>> find(String id);

  Future<Void> remove(String id);

  /** Logs {@code username} out everywhere: its next request with any old cookie is a 401. */
  Future<Void> removeUser(String username);

  /** 256 random bits, URL-safe. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    // a new instance is cheap (NativePRNG shares one source) and an interface holds no private field
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
