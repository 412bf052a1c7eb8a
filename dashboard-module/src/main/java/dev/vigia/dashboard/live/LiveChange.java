package dev.vigia.dashboard.live;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigia.common.Json;
import dev.vigia.common.session.StateChange;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One state change as one audience may see it: with its QR and pairing code for the people of
 * the org, without them for API keys. The JSON is the text the gateway published (not encoded
 * again), each wire form is made once, on first use, and the same bytes go to every subscriber
 * of that audience (a hundred open pages cost one).
 */
public final class LiveChange {

  private final String org;
  private final long seq;
  private final boolean secrets;
  /** Null while only the text is known: what a stream sends needs no more. */
  private final StateChange change;
  private String json;
  private Buffer sse;
  private Buffer bridgeFrame;

  private LiveChange(String org, long seq, boolean secrets, StateChange change, String json) {
    this.org = org;
    this.seq = seq;
    this.secrets = secrets;
    this.change = change;
    this.json = json;
  }

  /**
   * The change a bus message holds, as the people of its org may see it; null when it holds
   * none. The gateway's JSON text is not turned into a {@link StateChange}: its org, seq and
   * whether it holds a QR or a pairing code are read from it, and the text itself is what the
   * streams send. A JsonObject (tests, older publishers) is read whole.
   */
  static LiveChange read(Object body) {
    try {
      if (body instanceof Buffer text) {
        return fromText(text);
      }
      StateChange change = Json.fromBody(body, StateChange.class);
      return change.org() == null ? null
          : new LiveChange(change.org(), change.seq(), change.hasSecrets(), change, null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static LiveChange fromText(Buffer text) throws IOException {
    byte[] bytes = text.getBytes();
    try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String org = null;
      long seq = 0;
      boolean secrets = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "org" -> org = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
          case "qr", "pairingCode" -> secrets |= value != JsonToken.VALUE_NULL;
          default -> { }
        }
        parser.skipChildren(); // a field's object or array, whole
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      return org == null ? null : new LiveChange(org, seq, secrets, null,
          new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** For API keys: machines never receive a QR or a pairing code, whatever the bus carried. */
  LiveChange withoutSecrets() {
    if (!secrets) {
      return this;
    }
    StateChange full = change != null ? change : Json.fromBody(Buffer.buffer(json),
        StateChange.class);
    return new LiveChange(org, seq, false, full.withoutSecrets(), null);
  }

  public String org() {
    return org;
  }

  private String json() {
    if (json == null) {
      json = Json.toJson(change).encode();
    }
    return json;
  }

  /** {@code event: state}, {@code id: <seq>}, {@code data: <json>}: one Server-Sent Event. */
  public Buffer sse() {
    if (sse == null) {
      sse = Buffer.buffer("event: state\nid: " + seq + "\ndata: " + json() + "\n\n");
    }
    return sse;
  }

  /** The bridge's {@code rec} frame on {@code vigia.session.state.<org>}. */
  public Buffer bridgeFrame() {
    if (bridgeFrame == null) {
      bridgeFrame = Buffer.buffer("{\"type\":\"rec\",\"address\":\""
          + StateChange.addressFor(org) + "\",\"body\":" + json() + "}");
    }
    return bridgeFrame;
  }
}
