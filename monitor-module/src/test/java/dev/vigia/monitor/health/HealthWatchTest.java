package dev.vigia.monitor.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.health.HealthChange;
import dev.vigia.common.monitor.SessionHealth;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.time.ManualClock;
import dev.vigia.monitor.gateway.FakeGatewayCommands;
import dev.vigia.monitor.policy.DecryptFailureTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health alone: a change is published once per move, and a query works without the gateway. */
class HealthWatchTest {

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  final FakeGatewayCommands gateway = new FakeGatewayCommands();
  final List<HealthChange> published = new ArrayList<>();
  final HealthWatch health = new HealthWatch(DecryptFailureTracker.withDefaults(), gateway,
      published::add, clock);

  @Test
  void aStatusIsPublishedOnlyWhenItMoves() {
    health.state("2", SessionState.STARTING, clock.instant());
    health.refresh("2", "Session is STARTING", clock.instant());
    health.state("2", SessionState.QR_REQUIRED, clock.instant());
    health.refresh("2", "Session is QR_REQUIRED", clock.instant());
    health.state("2", SessionState.CONNECTED, clock.instant());
    health.refresh("2", "Session is CONNECTED", clock.instant());
    assertEquals(List.of(HealthChange.DOWN, HealthChange.OK),
        published.stream().map(HealthChange::status).toList());
  }

  @Test
  void withoutAnAnswerFromTheGatewayTheQueryUsesWhatTheMonitorHeard() {
    health.state("2", SessionState.CONNECTED, clock.instant());
    clock.advance(Duration.ofSeconds(30));
    SessionHealth h = health.query("2").result();
    assertEquals(SessionState.CONNECTED, h.state());
    assertEquals(30, h.secondsInState());
    assertEquals(SessionHealth.OK, h.status());
  }

  @Test
  void theGatewaysViewWinsWhenItAnswers() {
    gateway.sessions = List.of(new SessionView("2", SessionState.LOGGED_OUT, clock.instant(),
        null, null, null, null, null, null, null, null));
    health.state("2", SessionState.CONNECTED, clock.instant());
    SessionHealth h = health.query("2").result();
    assertEquals(SessionState.LOGGED_OUT, h.state());
    assertEquals(SessionHealth.DOWN, h.status());
    assertTrue(h.checks().stream().anyMatch(c -> c.name().equals("credentials")));
  }
}
