package dev.vigia.gateway.engine.simulated;

import dev.vigia.common.Cause;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.SessionView;
import dev.vigia.gateway.engine.EngineListener;
import dev.vigia.gateway.engine.RunAuthState;
import dev.vigia.gateway.store.InMemoryAuthStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;

/**
 * A second process with a simulated engine on the shared simulated WhatsApp: it logs in with the
 * linked device given and prints {@code OPEN <jid>} and {@code CLOSE <code> <reason>} lines.
 * Arguments: {@code host:port deviceJid}.
 */
public final class SharedWhatsAppChild {

  public static void main(String[] args) {
    String hostPort = args[0];
    String jid = args[1];
    Vertx vertx = Vertx.vertx();
    InMemoryAuthStateStore store = new InMemoryAuthStateStore(Clock.systemUTC());
    JsonObject creds = new JsonObject().put("registered", true)
        .put("me", new JsonObject().put("id", jid).put("name", "Vigía 2"));
    SimulatedEngine engine = new SimulatedEngine(vertx, VigiaConfig.defaultsOnly().sim(),
        SimulatedWhatsApp.shared(vertx, hostPort), Clock.systemUTC());
    vertx.runOnContext(v -> store.writeCreds("2", creds)
        .compose(w -> RunAuthState.open(store, "2"))
        .compose(run -> engine.open(run, new Printer()).start(null))
        .onFailure(e -> say("FAILED " + e)));
  }

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static final class Printer implements EngineListener {
    @Override
    public void onQr(String payload, Instant expiresAt) {
      say("QR");
    }

    @Override
    public void onPairingCode(String code, Instant expiresAt) {
      say("PAIRING");
    }

    @Override
    public void onOpen(SessionView.Me me) {
      say("OPEN " + me.jid());
    }

    @Override
    public void onClose(Cause cause) {
      say("CLOSE " + cause.code() + " " + cause.reason());
    }

    @Override
    public void onActivity(Activity activity) {
    }
  }
}
