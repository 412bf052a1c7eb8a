package dev.vigia.dashboard.live;

import dev.vigia.common.Json;
import dev.vigia.common.session.StateChange;
import io.vertx.core.buffer.Buffer;

/**
 * One state change as one audience may see it: with its QR and pairing code for the people of
 * the org, without them for API keys. The JSON is the text the gateway published (not encoded
 * again), each wire form is made once, on first use, and the same bytes go to every subscriber
 * of that audience (a hundred open pages cost one).
 */
public final class LiveChange {

  private final StateChange change;
  private String json;
  private Buffer sse;
  private Buffer bridgeFrame;

  private LiveChange(StateChange change, String json) {
    this.change = change;
    this.json = json;
  }

  /**
   * For the people of the org: the change as the org's own address carried it; {@code json} is
   * the text it came as (used as is, not encoded again), or null to encode it here.
   */
  static LiveChange forPeople(StateChange change, String json) {
    return new LiveChange(change, json);
  }

  /** For API keys: machines never receive a QR or a pairing code, whatever the bus carried. */
  static LiveChange forKeys(StateChange change, String json) {
    return change.hasSecrets() ? new LiveChange(change.withoutSecrets(), null)
        : new LiveChange(change, json);
  }

  /** A bus message's body read: the change and the JSON text it came as (null: not text). */
  record Read(StateChange change, String json) {}

  /** The change a bus message holds (JSON text or a JsonObject), or null when it holds none. */
  static Read read(Object body) {
    try {
      StateChange change = Json.fromBody(body, StateChange.class);
      return change.org() == null ? null
          : new Read(change, body instanceof Buffer text ? text.toString() : null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public String org() {
    return change.org();
  }

  public StateChange change() {
    return change;
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
      sse = Buffer.buffer("event: state\nid: " + change.seq() + "\ndata: " + json() + "\n\n");
    }
    return sse;
  }

  /** The bridge's {@code rec} frame on {@code vigia.session.state.<org>}. */
  public Buffer bridgeFrame() {
    if (bridgeFrame == null) {
      bridgeFrame = Buffer.buffer("{\"type\":\"rec\",\"address\":\""
          + StateChange.addressFor(change.org()) + "\",\"body\":" + json() + "}");
    }
    return bridgeFrame;
  }
}
