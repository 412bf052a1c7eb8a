package dev.vigia.app.ops;

import io.vertx.core.json.JsonObject;

/**
 * A command that cannot do what was asked, with one sentence a person can act on (printed as
 * {@code vigia: …}, never with a stack trace). {@code answer} is the server's JSON, when it gave
 * one (a failed clear still says what it could).
 */
public final class OpsException extends RuntimeException {

  private final transient JsonObject answer;

  public OpsException(String message) {
    this(message, null);
  }

  public OpsException(String message, JsonObject answer) {
    super(message, null, false, false);
    this.answer = answer;
  }

  public JsonObject answer() {
    return answer;
  }
}
