package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.SessionList;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7: a restart brings every linked session back, each reading its credentials once. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RestoreManySessionsTest {

  @TempDir
  Path dataDir;

  @Test
  void aThousandSessionsOnAStoreThatAnswersAtOnceAllComeBackConnected(Vertx vertx) {
    // the in-memory store completes every read inside the call: the restore's next resume used
    // to start inside the last one's completion, and the stack overflowed
    GatewayFixture gw = GatewayFixture.linking(vertx, dataDir);
    LinkedSessions.seed(gw, 1_031);
    gw.deploy();
    try {
      Readiness done = LinkedSessions.awaitRestored(gw);
      assertTrue(done.storeOk(), done.storeDetail());
      assertEquals(1_031, connected(gw));
    } finally {
      gw.undeploy();
      GatewayFixture.await(gw.records.close()); // its files written before the temp dir goes
    }
  }

  @Test
  void aRestoredSessionReadsItsCredentialsOnce(Vertx vertx) {
    GatewayFixture gw = GatewayFixture.linking(vertx, dataDir);
    LinkedSessions.seed(gw, 5);
    gw.deploy();
    try {
      LinkedSessions.awaitRestored(gw);
      for (int i = 0; i < 100 && connected(gw) < 5; i++) {
        GatewayFixture.await(io.vertx.core.Future.future(p -> vertx.setTimer(50,
            t -> p.complete())));
      }
      assertEquals(5, connected(gw));
      // the restore reads them to decide; the engine's start gets that copy
      assertEquals(5, gw.store.credsReads());
    } finally {
      gw.undeploy();
      GatewayFixture.await(gw.records.close()); // its files written before the temp dir goes
    }
  }

  private static long connected(GatewayFixture gw) {
    SessionList list = gw.request(GatewayAddresses.LIST, new ListRequest(), SessionList.class);
    return list.sessions().stream().filter(s -> s.state() == SessionState.CONNECTED).count();
  }
}
