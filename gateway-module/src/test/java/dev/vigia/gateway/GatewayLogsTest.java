package dev.vigia.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.common.gateway.SendRequest;
import dev.vigia.common.session.StateChange;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.EngineSession;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.engine.RunAuthState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, item 5: the server log, read by the operators of every org, never holds a full phone
 * number (masked to its last 4 digits), a QR or a pairing code.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayLogsTest {

  private static final String PHONE = "5215550004444";

  @TempDir
  Path dataDir;

  private final ListAppender<ILoggingEvent> capture = new ListAppender<>();
  private Logger gatewayLogs;
  private Level before;
  private GatewayFixture gw;

  @BeforeEach
  void capture() {
    LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    capture.setContext(ctx);
    capture.start();
    gatewayLogs = ctx.getLogger("dev.vigia.gateway");
    before = gatewayLogs.getLevel();
    gatewayLogs.setLevel(Level.DEBUG);
    gatewayLogs.addAppender(capture);
  }

  @AfterEach
  void release() {
    if (gw != null) {
      gw.undeploy();
    }
    gatewayLogs.detachAppender(capture);
    gatewayLogs.setLevel(before);
    capture.stop();
  }

  @Test
  void failuresNamingAPhoneAreLoggedWithItMasked(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy(new RefusingEngine());
    assertEquals(Failure.UNAVAILABLE, gw.refused(GatewayAddresses.CONNECT,
        new ConnectRequest("2", ConnectRequest.PAIRING_CODE, PHONE, false, "u")).failureCode());

    List<String> lines = lines();
    assertTrue(lines.stream().anyMatch(l -> l.contains("*********4444")),
        "the failure was not logged at all: " + lines);
    assertFalse(lines.stream().anyMatch(l -> l.contains(PHONE)), "a full phone number: " + lines);
  }

  @Test
  void aLinkAndASendLeaveNoPhoneQrOrPairingCodeInTheLog(Vertx vertx) {
    gw = GatewayFixture.linking(vertx, dataDir);
    gw.deploy();
    gw.watch("2");
    gw.request(GatewayAddresses.CONNECT,
        new ConnectRequest("2", ConnectRequest.PAIRING_CODE, PHONE, false, "u"));
    StateChange code = gw.nextOwn("2", SessionState.PAIRING_CODE);
    gw.sim("2", "scan", null);
    gw.next("2", SessionState.RECONNECTING);
    gw.reconnectAsMonitor("2");
    StateChange linked = gw.next("2", SessionState.CONNECTED);
    gw.request(GatewayAddresses.SEND, new SendRequest("2", "5215550003333", "hola", null),
        SendReceipt.class);
    gw.watch("3");
    gw.connect("3");
    String qr = gw.nextOwn("3", SessionState.QR_REQUIRED).qr().payload();

    List<String> lines = lines();
    assertFalse(lines.isEmpty(), "nothing was logged: the test proves nothing");
    for (String secret : List.of(PHONE, "5215550003333", code.pairingCode().code(),
        linked.me().jid(), qr.substring(qr.indexOf(',') + 1))) {
      assertFalse(lines.stream().anyMatch(l -> l.contains(secret)),
          "the log holds " + secret + ": " + lines);
    }
  }

  private List<String> lines() {
    return List.copyOf(capture.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** An engine that cannot pair that phone: its error names it, as Baileys' do. */
  private static final class RefusingEngine implements Engine {
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
      return ForwardingSession.notStarting(phone -> "cannot pair " + phone);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
