package dev.vigia.gateway;

import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.ReadinessQuery;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.session.SessionRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Linked sessions left by a last run (creds and a CONNECTED record each), as a restart finds them. */
final class LinkedSessions {

  private LinkedSessions() {}

  /** Orgs {@code org-0} … {@code org-(count-1)}, each linked and wanting its connection. */
  static void seed(GatewayFixture gw, int count) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    List<Future<Void>> saved = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String org = "org-" + i;
      String jid = String.format("52155%08d:1@s.whatsapp.net", i);
      saved.add(gw.store.writeCreds(org, new JsonObject().put("registered", true)
          .put("me", new JsonObject().put("id", jid).put("name", "n"))));
      saved.add(gw.records.save(new SessionRecord(org, SessionState.CONNECTED, at, null,
          new SessionView.Me(jid, "n"), at, null, true, 3)));
    }
    GatewayFixture.await(Future.all(saved));
  }

  /** Waits (bounded) until readiness no longer says {@code restoring}; returns that answer. */
  static Readiness awaitRestored(GatewayFixture gw) {
    Readiness r = null;
    for (int i = 0; i < 400; i++) {
      r = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
      if (r.restoring() == null) {
        return r;
      }
      GatewayFixture.await(Future.future(p -> gw.vertx.setTimer(50, t -> p.complete())));
    }
    throw new AssertionError("the restore never finished: " + r);
  }
}
