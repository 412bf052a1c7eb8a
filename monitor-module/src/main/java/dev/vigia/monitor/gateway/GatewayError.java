package dev.vigia.monitor.gateway;

import dev.vigia.common.gateway.Failure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Why a gateway command did not succeed: no gateway answered ({@link #NO_ANSWER}), or it refused
 * with one of the codes of {@link Failure} (or 500 for its own internal error).
 */
public final class GatewayError extends RuntimeException {

  /** No gateway answered: nobody listens on the address, or the reply timed out. */
  public static final int NO_ANSWER = -1;
  /** The gateway failed on its side (its answer to an unexpected exception). */
  public static final int INTERNAL = 500;

  private final int code;

  public GatewayError(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The gateway's failure code, or {@link #NO_ANSWER}. */
  public int code() {
    return code;
  }

  /** Nothing was done and nothing could be: no gateway answered, or its engine is unavailable. */
  public boolean isOutage() {
    return code == NO_ANSWER || code == Failure.UNAVAILABLE;
  }

  /**
   * 409: the session is not in a state that allows the command; for a command that carries
   * {@code forSeq}, the session has changed since the decision was made.
   */
  public boolean isWrongState() {
    return code == Failure.WRONG_STATE;
  }

  /** 400 / 403 / 404 and the like: sending the same command again cannot succeed. */
  public boolean isRefusal() {
    return code >= 400 && code < 500 && code != Failure.WRONG_STATE;
  }

  /** For journals and logs: "409 the session is STOPPED …" or "no answer (TIMEOUT …)". */
  public String describe() {
    return code == NO_ANSWER ? "no answer from the gateway (" + getMessage() + ")"
        : code + " " + getMessage();
  }

  /** The error of a failed bus request, in the monitor's terms. */
  public static GatewayError of(Throwable err) {
    if (err instanceof GatewayError g) {
      return g;
    }
    if (err instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT) {
        return new GatewayError(NO_ANSWER, re.failureType() + ": " + re.getMessage());
      }
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return new GatewayError(re.failureCode(), String.valueOf(re.getMessage()));
      }
    }
    // an answer the monitor cannot read, or a failure on the bus itself
    return new GatewayError(INTERNAL, err.getClass().getSimpleName() + ": " + err.getMessage());
  }
}
