package dev.vigia.dashboard.web;

import dev.vigia.common.time.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WebSessionsAndThrottleTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void aSessionIdleFor12HoursIsGoneButUseKeepsItAlive() {
    WebSessions sessions = new WebSessions(clock);
    WebSessions.WebSession used = sessions.create("ana");
    WebSessions.WebSession idle = sessions.create("bob");
    assertNotEquals(used.xsrfToken(), idle.xsrfToken());
    clock.advance(Duration.ofHours(11));
    assertTrue(sessions.find(used.id()).isPresent());
    clock.advance(Duration.ofHours(2));
    assertTrue(sessions.find(used.id()).isPresent(), "used 2 hours ago");
    assertTrue(sessions.find(idle.id()).isEmpty(), "idle for 13 hours");
    assertTrue(sessions.find("made-up").isEmpty());
    assertTrue(sessions.find(null).isEmpty());
  }

  @Test
  void fiveFailuresPerUserAndAddressBlockForFiveMinutes() {
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < 5; i++) {
      assertTrue(throttle.attempt("admin", "10.0.0.1").isEmpty(), "attempt " + (i + 1));
    }
    assertEquals(Duration.ofMinutes(5), throttle.attempt("admin", "10.0.0.1").orElseThrow());
    assertTrue(throttle.attempt("admin", "10.0.0.2").isEmpty(), "another address");
    assertTrue(throttle.attempt("ana", "10.0.0.1").isEmpty(), "another user");
    clock.advance(Duration.ofMinutes(5));
    assertTrue(throttle.attempt("admin", "10.0.0.1").isEmpty(), "the window has passed");
  }

  @Test
  void aSuccessForgetsEarlierFailures() {
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < 4; i++) {
      throttle.attempt("admin", "10.0.0.1");
    }
    throttle.succeeded("admin", "10.0.0.1");
    for (int i = 0; i < 5; i++) {
      assertTrue(throttle.attempt("admin", "10.0.0.1").isEmpty());
    }
  }

  @Test
  void rawPathsWithDotSegmentsOrEncodedSlashesAreRefused() {
    for (String bad : new String[] {"/api/sessions/../x", "/api/sessions/%2e%2e", "/a/./b",
        "/api/sessions/%2E%2e/clear", "/api/sessions/a%2Fb", "/api/x%5c..", "/a/.%2e/b"}) {
      assertTrue(PathGuard.hasTraversal(bad), bad);
    }
    for (String good : new String[] {"/", "/api/sessions/2", "/api/sessions/org-4_b/events",
        "/dashboard/whatsapp-baileys/clear/", "/api/sessions/a..b"}) {
      assertTrue(!PathGuard.hasTraversal(good), good);
    }
  }
}
