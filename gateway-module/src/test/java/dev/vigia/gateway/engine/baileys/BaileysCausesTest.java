package dev.vigia.gateway.engine.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.gateway.session.StateAfterClose;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What Baileys reports at a close becomes the cause the monitor acts on (DESIGN §3). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BaileysCausesTest {

  @Test
  void everyDisconnectReasonMapsToItsCause() {
    assertEquals(Cause.restartRequired(), BaileysCauses.of(515, "Stream Errored (restart required)", null));
    assertEquals(Cause.connectionClosed(), BaileysCauses.of(428, "Connection Terminated", null));
    assertEquals(Cause.connectionLost(), BaileysCauses.of(408, "Connection was lost", null));
    assertEquals(Cause.conflict(), BaileysCauses.of(440, "Stream Errored (conflict)", null));
    assertEquals(Cause.loggedOut(), BaileysCauses.of(401, "Connection Failure", null));
    assertEquals(Cause.badSession(), BaileysCauses.of(500, "Bad MAC", null));
    assertEquals(Cause.unavailable(), BaileysCauses.of(503, "Service Unavailable", null));
    for (int banned : new int[] {402, 403, 406}) {
      assertEquals(Cause.banned(banned), BaileysCauses.of(banned, "Connection Failure", null));
    }
    for (int outdated : new int[] {405, 411}) {
      assertEquals(Cause.outdated(outdated), BaileysCauses.of(outdated, "Connection Failure", null));
    }
  }

  @Test
  void qrRefsAttemptsEndedStopsInsteadOfLooping() {
    Cause cause = BaileysCauses.of(408, "QR refs attempts ended", null);
    assertEquals(Cause.qrExpired(), cause);
    assertEquals(SessionState.STOPPED, StateAfterClose.of(cause));
  }

  @Test
  void socketErrorsAreTheNetworkNotALostSession() {
    // Baileys turns ECONNREFUSED, ENOTFOUND… into 408; the socket's own code says what it was
    Cause cause = BaileysCauses.of(408, "WebSocket Error (connect ECONNREFUSED 127.0.0.1:1)", "ECONNREFUSED");
    assertEquals(Cause.NETWORK_DOWN, cause.reason());
    assertEquals(null, cause.code());
    assertEquals(SessionState.RECONNECTING, StateAfterClose.of(cause));
    assertEquals(Cause.NETWORK_DOWN, BaileysCauses.of(null, "socket hang up", null).reason());
  }

  @Test
  void anUnknownCodeKeepsItsNumberAndIsTransient() {
    Cause cause = BaileysCauses.of(499, "something new", null);
    assertEquals(499, cause.code());
    assertEquals(SessionState.RECONNECTING, StateAfterClose.of(cause));
    assertEquals(SessionState.RECONNECTING, StateAfterClose.of(BaileysCauses.engineStopped()));
  }
}
