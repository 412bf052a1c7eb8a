package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, item 1: every change of the gateway's state runs on the gateway verticle's context,
 * even when the auth-state store is the real file store built off any event loop (as the app
 * builds it on its main thread) and commands, engine events and a restart interleave.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneOwningContextTest {

  private static final int ORGS = 12;
  private static final int ROUNDS = 3;

  @TempDir
  Path dataDir;

  private GatewayFixture gw;
  private FileAuthStateStore files;

  /** The store is closed before JUnit deletes its folder (its lanes may still be writing). */
  @AfterEach
  void undeploy() {
    if (gw != null) {
      gw.undeploy();
    }
    if (files != null) {
      GatewayFixture.await(files.close());
    }
  }

  @Test
  void clearsFaultsSendsAndRestartsOfManyOrgsChangeStateOnlyOnTheGatewaysContext(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    files = new FileAuthStateStore(vertx, dataDir, gw.clock);
    GatewayFixture.await(files.open());
    gw.authStore = files;
    gw.deploy();
    for (int i = 0; i < ORGS; i++) {
      gw.link(org(i));
    }

    for (int round = 0; round < ROUNDS; round++) {
      List<Future<?>> replies = new ArrayList<>();
      for (int i = 0; i < ORGS; i++) {
        replies.addAll(burst(vertx, org(i), i % 4));
      }
      if (round == 1) {
        // a restart while the burst is in flight: requests without a gateway just fail
        gw.redeploy();
      }
      GatewayFixture.await(Future.join(replies).otherwiseEmpty());
    }
    for (int i = 0; i < ORGS; i++) {
      SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest(org(i)),
          SessionView.class);
      assertEquals(org(i), status.org());
    }

    assertEquals(0, gw.contextViolations(),
        "gateway state was changed off the gateway's context (see the ERROR lines)");
  }

  /** One org's commands, sent at once without waiting for each other. */
  private static List<Future<?>> burst(Vertx vertx, String org, int kind) {
    List<Future<?>> replies = new ArrayList<>();
    switch (kind) {
      case 0 -> {
        replies.add(ask(vertx, GatewayAddresses.SIM,
            new SimRequest(org, SimRequest.FAULT, Cause.CONNECTION_LOST, null, null)));
        replies.add(ask(vertx, GatewayAddresses.CLEAR, new ClearRequest(org, "t", "test")));
        replies.add(ask(vertx, GatewayAddresses.SETTLE, new SettleRequest(org,
            SessionState.RECONNECTING, Cause.connectionLost(),
            new SessionView.Reconnect(1, Instant.now()), "monitor")));
        replies.add(ask(vertx, GatewayAddresses.CONNECT,
            new ConnectRequest(org, null, null, false, "monitor")));
      }
      case 1 -> {
        for (int n = 0; n < 3; n++) {
          replies.add(ask(vertx, GatewayAddresses.SEND,
              new SendRequest(org, "5215550001111", "hola " + n, null)));
        }
        replies.add(ask(vertx, GatewayAddresses.SIM,
            new SimRequest(org, SimRequest.FAULT, Cause.RESTART_REQUIRED, null, null)));
        replies.add(ask(vertx, GatewayAddresses.CONNECT,
            new ConnectRequest(org, null, null, false, "monitor")));
      }
      case 2 -> {
        replies.add(ask(vertx, GatewayAddresses.CLEAR, new ClearRequest(org, "t", "test")));
        replies.add(ask(vertx, GatewayAddresses.CONNECT,
            new ConnectRequest(org, null, null, false, "t")));
        replies.add(ask(vertx, GatewayAddresses.SIM,
            new SimRequest(org, SimRequest.SCAN, null, null, null)));
        replies.add(ask(vertx, GatewayAddresses.DISCONNECT, new DisconnectRequest(org, "t")));
      }
      default -> {
        replies.add(ask(vertx, GatewayAddresses.SIM,
            new SimRequest(org, SimRequest.FAULT, Cause.LOGGED_OUT, null, null)));
        replies.add(ask(vertx, GatewayAddresses.CONNECT,
            new ConnectRequest(org, null, null, false, "t")));
        replies.add(ask(vertx, GatewayAddresses.SEND,
            new SendRequest(org, "5215550001111", "hola", null)));
      }
    }
    return replies;
  }

  private static Future<?> ask(Vertx vertx, String address, Object body) {
    return vertx.eventBus().request(address, Json.toJson(body));
  }

  private static String org(int i) {
    return "org-" + i;
  }
}
