package dev.vigia.gateway;

import dev.vigia.common.gateway.SendReceipt;
import dev.vigia.gateway.engine.EngineSession;
import io.vertx.core.Future;
import java.util.function.UnaryOperator;

/** An engine session that does what {@code session} does: tests override the call they watch. */
class ForwardingSession implements EngineSession {

  private final EngineSession session;

  ForwardingSession(EngineSession session) {
    this.session = session;
  }

  /**
   * A session whose start fails, with the message {@code why} makes of the pairing phone, holding
   * nothing: an engine that cannot start.
   */
  static EngineSession notStarting(UnaryOperator<String> why) {
    return new EngineSession() {
      @Override
      public Future<Void> start(String pairingPhone) {
        return Future.failedFuture(new IllegalStateException(why.apply(pairingPhone)));
      }

      @Override
      public Future<SendReceipt> send(String to, String text, String idempotencyKey) {
        return Future.failedFuture("not started");
      }

      @Override
      public Future<Void> logout() {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  @Override
  public Future<Void> start(String pairingPhone) {
    return session.start(pairingPhone);
  }

  @Override
  public Future<SendReceipt> send(String to, String text, String idempotencyKey) {
    return session.send(to, text, idempotencyKey);
  }

  @Override
  public Future<Void> logout() {
    return session.logout();
  }

  @Override
  public Future<Void> close() {
    return session.close();
  }
}
