package dev.vigia.dashboard.live;

import dev.vigia.common.Json;
import dev.vigia.common.session.StateChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One state change as one audience may see it: with its QR and pairing code for the people of
 * the org, without them for API keys. Each wire form is encoded once, on first use, and the same
 * bytes go to every subscriber of that audience (a hundred open pages cost one encoding).
 */
public final class LiveChange {

  private final StateChange change;
  private String json;
  private Buffer sse;
  private Buffer bridgeFrame;

  private LiveChange(StateChange change) {
    this.change = change;
  }

  /** For the people of the org: the change as the org's own address carried it. */
  static LiveChange forPeople(StateChange change) {
    return new LiveChange(change);
  }

  /** For API keys: machines never receive a QR or a pairing code, whatever the bus carried. */
  static LiveChange forKeys(StateChange change) {
    return new LiveChange(change.withoutSecrets());
  }

  /** The change a bus message holds, or null when it holds none. */
  static StateChange read(Object body) {
    if (!(body instanceof JsonObject json)) {
      return null;
    }
    try {
      StateChange change = Json.fromJson(json, StateChange.class);
      return change.org() == null ? null : change;
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
