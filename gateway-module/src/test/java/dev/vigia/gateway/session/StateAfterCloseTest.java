package dev.vigia.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateAfterCloseTest {

  @Test
  void everyCloseCauseMapsToTheStateThatStatesTheFact() {
    Map<Cause, SessionState> table = new LinkedHashMap<>();
    table.put(Cause.conflict(), SessionState.CONFLICT);
    table.put(Cause.loggedOut(), SessionState.LOGGED_OUT);
    table.put(Cause.banned(402), SessionState.BANNED);
    table.put(Cause.banned(403), SessionState.BANNED);
    table.put(Cause.banned(406), SessionState.BANNED);
    table.put(Cause.outdated(405), SessionState.FAILED);
    table.put(Cause.outdated(411), SessionState.FAILED);
    table.put(Cause.qrExpired(), SessionState.STOPPED);
    table.put(Cause.connectionLost(), SessionState.RECONNECTING);
    table.put(Cause.restartRequired(), SessionState.RECONNECTING);
    table.put(Cause.connectionClosed(), SessionState.RECONNECTING);
    table.put(Cause.unavailable(), SessionState.RECONNECTING);
    table.put(Cause.badSession(), SessionState.RECONNECTING);
    table.put(Cause.networkDown(), SessionState.RECONNECTING);
    table.put(new Cause(499, "unknown", "Something new"), SessionState.RECONNECTING);
    table.forEach((cause, state) -> assertEquals(state, StateAfterClose.of(cause), cause.toString()));
  }
}
