package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ClearRequest;
import dev.vigia.common.gateway.ClearResult;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.DisconnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.Readiness;
import dev.vigia.common.gateway.ReadinessQuery;
import dev.vigia.common.gateway.ListRequest;
import dev.vigia.common.gateway.LogoutRequest;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.RepairResult;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.gateway.SessionList;
import dev.vigia.common.gateway.SettleRequest;
import dev.vigia.common.gateway.SimRequest;
import dev.vigia.common.gateway.StatusRequest;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayCommandsTest {

  @TempDir
  Path dataDir;

  private GatewayFixture gw;

  @AfterEach
  void undeploy() {
    gw.undeploy();
  }

  @Test
  void badOrgIdsAreRefusedWith400OnEveryAddress(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    String tooLong = "a".repeat(65);
    for (String bad : new String[] {"../x", "%2e%2e", tooLong, "", "a/b", "ñ"}) {
      for (String address : List.of(GatewayAddresses.CONNECT, GatewayAddresses.DISCONNECT,
          GatewayAddresses.LOGOUT, GatewayAddresses.CLEAR, GatewayAddresses.STATUS,
          GatewayAddresses.SEND, GatewayAddresses.REPAIR, GatewayAddresses.SETTLE,
          GatewayAddresses.SIM)) {
        JsonObject body = new JsonObject().put("org", bad).put("to", "5215550001111")
            .put("text", "hola").put("contact", "5215550001111").put("state", "STOPPED")
            .put("action", "scan");
        assertEquals(Failure.BAD_INPUT, gw.refused(address, body).failureCode(),
            address + " with org " + bad);
      }
    }
    assertEquals(Failure.BAD_INPUT,
        gw.refused(GatewayAddresses.STATUS, new JsonObject()).failureCode(), "missing org");
    assertTrue(gw.changes.all().isEmpty());
    assertEquals(List.of(), GatewayFixture.await(gw.store.list()));
  }

  @Test
  void readinessReportsTheStoreAndTheEngineWithoutFailingTheReply(Vertx vertx)
      throws InterruptedException {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    // the restore reads the session records behind the start: on a loaded machine readiness may
    // still say so right after the deploy (that is reported too, not a failure)
    Readiness ready = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
    for (int i = 0; i < 200 && ready.restoring() != null; i++) {
      Thread.sleep(50); // the test's own thread
      ready = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
    }
    assertEquals(new Readiness(true, null, true, null), ready);
    gw.store.failProbe("disk full");
    Readiness down = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
    assertFalse(down.storeOk());
    assertTrue(down.engineOk());
    assertTrue(down.storeDetail().contains("disk full"), down.storeDetail());
  }

  @Test
  void aSessionRecordThatCannotBeSavedMakesTheGatewayUnreadyUntilASaveWorks(Vertx vertx)
      throws Exception {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    // the disk fails the records' log (tests run as root, where chmod does not stop writes)
    gw.records.failSavesForTests("disk full");

    assertEquals(500, gw.refused(GatewayAddresses.DISCONNECT, new DisconnectRequest("2", "u"))
        .failureCode(), "the disconnect was not saved: a restart would reconnect");
    Readiness down = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
    assertFalse(down.storeOk());
    assertTrue(down.storeDetail().contains("could not be saved (organization 2"),
        down.storeDetail());

    gw.records.failSavesForTests(null);
    gw.connect("2");
    gw.next("2", SessionState.CONNECTED);
    Readiness again = down;
    // the record of CONNECTED is saved just after the change is published
    for (int i = 0; i < 100 && !again.ready(); i++) {
      GatewayFixture.await(Future.future(p -> vertx.setTimer(50, t -> p.complete())));
      again = gw.request(GatewayAddresses.READY, new ReadinessQuery(), Readiness.class);
    }
    assertTrue(again.ready(), again.toString());
  }

  @Test
  void malformedRequestsAreRefusedWith400(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "sms", null, false, "u")).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "pairing_code", null, false, "u")).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "pairing_code", "12ab", false, "u")).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.CONNECT,
        new JsonObject().put("org", "2").put("takeover", new JsonObject())).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.SEND,
        new SendRequest("2", null, "hola", null)).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.REPAIR,
        new RepairRequest("2", "../../creds", null)).failureCode());
    assertEquals(Failure.BAD_INPUT, gw.refused(GatewayAddresses.SETTLE,
        new SettleRequest("2", SessionState.CONNECTED, null, null, "monitor")).failureCode());
    assertTrue(gw.changes.all().isEmpty());
  }

  @Test
  void sendingNeedsAConnectedSessionAndAnIdempotencyKeySendsOnce(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    SendRequest hello = new SendRequest("2", "5215550001111", "hola", "order-17");
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.SEND, hello).failureCode());

    gw.link("2");
    SendReceipt first = gw.request(GatewayAddresses.SEND, hello, SendReceipt.class);
    SendReceipt again = gw.request(GatewayAddresses.SEND, hello, SendReceipt.class);
    assertEquals("sent", first.status());
    assertEquals(first, again);
    assertEquals(1, gw.simulated().sentMessages("2").size());

    SendReceipt other = gw.request(GatewayAddresses.SEND,
        new SendRequest("2", "5215550001111", "hola", null), SendReceipt.class);
    assertNotEquals(first.id(), other.id());
    assertEquals(List.of("hola", "hola"),
        gw.simulated().sentMessages("2").stream().map(m -> m.text()).toList());
    List<Activity> sent = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sent.add(GatewayFixture.await(gw.activities.next(
          a -> a.org().equals("2") && a.kind().equals(Activity.MESSAGE_SENT))));
    }
    assertEquals(List.of(first.id(), other.id()), sent.stream().map(Activity::detail).toList());
    SessionView status = gw.request(GatewayAddresses.STATUS, new StatusRequest("2"),
        SessionView.class);
    assertEquals(sent.get(1).at(), status.lastActivityAt());
  }

  @Test
  void repairRemovesOnlyThatContactsSignalSessions(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    JsonObject creds = GatewayFixture.await(gw.store.readCreds("2"));
    String session = "{\"_sessions\":{}}";
    GatewayFixture.await(gw.store.setKeys("2", Map.of("session", Map.of(
        "5215550001111.0", session, "5215550001111.3", session,
        "52155500011112.0", session, "5215550002222.0", session))));

    RepairResult result = gw.request(GatewayAddresses.REPAIR,
        new RepairRequest("2", "5215550001111@s.whatsapp.net", "bad mac burst"),
        RepairResult.class);

    assertEquals(2, result.removed());
    assertEquals(List.of("52155500011112.0", "5215550002222.0"),
        gw.store.keys("2", "session").keySet().stream().sorted().toList());
    assertEquals(creds, GatewayFixture.await(gw.store.readCreds("2")), "the login stays");
    assertEquals(5, gw.store.keys("2", "pre-key").size());
    Activity repaired = GatewayFixture.await(gw.activities.next(
        a -> a.kind().equals(Activity.REPAIRED)));
    assertEquals("5215550001111", repaired.contact());
    assertEquals(SessionState.CONNECTED, gw.request(GatewayAddresses.STATUS,
        new StatusRequest("2"), SessionView.class).state());
    assertEquals(Failure.UNKNOWN, gw.refused(GatewayAddresses.REPAIR,
        new RepairRequest("nobody", "5215550001111", null)).failureCode());
  }

  @Test
  void repairFindsAContactsSessionsUnderTheLidWhatsAppAddressesItBy(Vertx vertx) {
    // Baileys 7 keeps sessions by LID (session-<lid>_1.<device>) once it learned the contact's LID
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    String session = "{\"_sessions\":{}}";
    GatewayFixture.await(gw.store.setKeys("2", Map.of(
        "session", Map.of("26954082622271_1.0", session, "26954082622271_1.5", session,
            "11111111111111_1.0", session),
        "lid-mapping", Map.of("5215550001111", "\"26954082622271\"",
            "26954082622271_reverse", "\"5215550001111\""))));

    RepairResult result = gw.request(GatewayAddresses.REPAIR,
        new RepairRequest("2", "5215550001111@s.whatsapp.net", "bad mac burst"), RepairResult.class);

    assertEquals(2, result.removed());
    assertEquals(List.of("11111111111111_1.0"),
        gw.store.keys("2", "session").keySet().stream().sorted().toList());
  }

  @Test
  void commandsForOneOrgApplyInTheOrderTheyWereSent(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    List<Future<String>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(ask(vertx, GatewayAddresses.CONNECT,
          new ConnectRequest("2", "qr", null, false, "u")));
      replies.add(ask(vertx, GatewayAddresses.DISCONNECT, new DisconnectRequest("2", "u")));
    }
    List<String> states = replies.stream().map(GatewayFixture::await).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      expected.add("STARTING");
      expected.add("STOPPED");
    }
    assertEquals(expected, states);
    assertEquals("STOPPED", GatewayFixture.await(ask(vertx, GatewayAddresses.STATUS,
        new StatusRequest("2"))));

    List<StateChange> changes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      changes.add(GatewayFixture.await(gw.changes.next(c -> c.org().equals("2")
          && (c.to() == SessionState.STARTING || c.to() == SessionState.STOPPED))));
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(i % 2 == 0 ? SessionState.STARTING : SessionState.STOPPED, changes.get(i).to());
    }
    for (int i = 1; i < changes.size(); i++) {
      assertTrue(changes.get(i).seq() > changes.get(i - 1).seq());
    }
  }

  private static Future<String> ask(Vertx vertx, String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, Json.toJson(body))
        .map(m -> m.body().getString("state"));
  }

  @Test
  void disconnectKeepsTheCredentialsAndLogoutArchivesThem(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    StateChange linked = gw.link("2");
    SessionView stopped = gw.request(GatewayAddresses.DISCONNECT, new DisconnectRequest("2", "u"),
        SessionView.class);
    assertEquals(SessionState.STOPPED, stopped.state());
    assertEquals(Cause.USER_REQUEST, stopped.cause().reason());
    assertEquals(linked.me(), stopped.me());
    assertTrue(GatewayFixture.await(gw.store.readCreds("2")).getBoolean("registered"));

    gw.connect("2");
    gw.next("2", SessionState.CONNECTED);
    ClearResult out = gw.request(GatewayAddresses.LOGOUT, new LogoutRequest("2", "u", null),
        ClearResult.class);
    assertEquals(SessionState.STOPPED, out.session().state());
    assertNull(out.session().me());
    assertTrue(out.archivedTo() != null);
    assertNull(GatewayFixture.await(gw.store.readCreds("2")));
    assertTrue(!GatewayFixture.await(gw.whatsApp.isLinked(linked.me().jid())),
        "the phone no longer lists the device");
  }

  @Test
  void listShowsEveryOrgWithARecordOrStoredState(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    // imported while Vigía was stopped (the import command needs the data dir to itself)
    GatewayFixture.await(gw.store.writeCreds("imported", new JsonObject().put("registered", false)));
    gw.deploy();
    gw.link("2");
    gw.link("cleared");
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("cleared", "u", null));
    gw.request(GatewayAddresses.CLEAR, new ClearRequest("never-seen", "u", null));
    SessionList list = gw.request(GatewayAddresses.LIST, new ListRequest(), SessionList.class);
    assertEquals(List.of("2", "cleared", "imported"),
        list.sessions().stream().map(SessionView::org).toList());
    assertEquals(SessionState.CONNECTED, list.sessions().get(0).state());
    assertEquals(SessionState.STOPPED, list.sessions().get(1).state());
    assertEquals(SessionState.STOPPED, list.sessions().get(2).state());
  }

  @Test
  void theMonitorSettlesASessionThatIsNotLive(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.link("2");
    SettleRequest backoff = new SettleRequest("2", SessionState.RECONNECTING,
        Cause.connectionLost(), new SessionView.Reconnect(2, Instant.parse("2030-01-01T00:00:00Z")),
        "monitor");
    assertEquals(Failure.WRONG_STATE, gw.refused(GatewayAddresses.SETTLE, backoff).failureCode(),
        "a live session is not settled");

    gw.sim("2", SimRequest.FAULT, Cause.CONNECTION_LOST);
    gw.next("2", SessionState.RECONNECTING);
    SessionView settled = gw.request(GatewayAddresses.SETTLE, backoff, SessionView.class);
    assertEquals(2, settled.reconnect().attempt());
    StateChange change = gw.next("2", SessionState.RECONNECTING);
    assertEquals(SessionState.RECONNECTING, change.from());
    assertEquals(backoff.reconnect(), change.reconnect());

    gw.request(GatewayAddresses.SETTLE, new SettleRequest("2", SessionState.FAILED,
        new Cause(null, "breaker_open", "Too many failures"), null, "monitor"));
    StateChange failed = gw.next("2", SessionState.FAILED);
    assertNull(failed.reconnect());
    assertEquals("breaker_open", failed.cause().reason());
  }

  @Test
  void anEngineThatCannotStartAnswers503AndSimControlIs404(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy(new UnavailableEngine());
    assertEquals(Failure.UNAVAILABLE, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", "qr", null, false, "u")).failureCode());
    assertEquals(Cause.ENGINE_UNAVAILABLE,
        gw.next("2", SessionState.RECONNECTING).cause().reason());
    assertEquals(Failure.UNKNOWN, gw.refused(GatewayAddresses.SIM,
        new SimRequest("2", SimRequest.SCAN, null, null, null)).failureCode());
  }

  /** An engine whose process is gone: every start fails. */
  private static final class UnavailableEngine implements Engine {
    @Override
    public String name() {
      return "baileys";
    }

    @Override
    public KeyRange contactSessions(String contact) {
      return new KeyRange("session", contact + ".");
    }

    @Override
    public EngineSession open(RunAuthState auth, EngineListener listener) {
      return ForwardingSession.notStarting(phone -> "engine process is not running");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
