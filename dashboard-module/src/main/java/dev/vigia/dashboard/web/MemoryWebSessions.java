package dev.vigia.dashboard.web;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Web logins in memory (the file store's): a restart logs everyone out, which is acceptable for
 * a console on one machine.
 */
public final class MemoryWebSessions implements WebSessions {

  private final Clock clock;
  private final Map<String, WebSession> byId = new ConcurrentHashMap<>();

  public MemoryWebSessions(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<WebSession> create(String username) {
    Instant now = clock.instant();
    byId.values().removeIf(s -> expired(s, now));
    WebSession session = new WebSession(WebSessions.randomToken(), username,
        WebSessions.randomToken(), now);
    byId.put(session.id(), session);
    return Future.succeededFuture(session);
  }

  @Override
  public Future<Optional<WebSession>> find(String id) {
    if (id == null) {
      return Future.succeededFuture(Optional.empty());
    }
    WebSession session = byId.get(id);
    Instant now = clock.instant();
    if (session == null) {
      return Future.succeededFuture(Optional.empty());
    }
    if (expired(session, now)) {
      byId.remove(id);
      return Future.succeededFuture(Optional.empty());
    }
    WebSession touched = new WebSession(session.id(), session.username(), session.xsrfToken(), now);
    byId.put(id, touched);
    return Future.succeededFuture(Optional.of(touched));
  }

  @Override
  public Future<Void> remove(String id) {
    if (id != null) {
      byId.remove(id);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> removeUser(String username) {
    byId.values().removeIf(s -> s.username().equals(username));
    return Future.succeededFuture();
  }

  private static boolean expired(WebSession s, Instant now) {
    return !s.lastSeen().plus(IDLE).isAfter(now);
  }
}
