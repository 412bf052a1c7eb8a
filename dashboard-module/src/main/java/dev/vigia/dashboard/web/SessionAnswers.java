package dev.vigia.dashboard.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The last encoded answer of {@code GET /api/sessions/{org}} for each org, reused while what it
 * was made from is the same: the gateway's reply (compared whole, field by field), the org's
 * name, and whether the caller may see the QR. Turning the reply into a record and back into
 * JSON text was most of the route's CPU (issue 12, goal 6: a client polling its session); a
 * comparison costs a fraction of it. Nothing about who may ask is kept here: the caller is
 * checked on every request before this is reached, so a revoked key is refused at once.
 */
final class SessionAnswers {

  /** Orgs kept; past this the cache starts over (a poller refills its entry on its next call). */
  static final int MAX_ORGS = 4096;

  private record Made(JsonObject reply, String name, boolean withSecrets, Buffer body) {
    boolean from(JsonObject otherReply, String otherName, boolean otherWithSecrets) {
      return withSecrets == otherWithSecrets && Objects.equals(name, otherName)
          && reply.equals(otherReply);
    }
  }

  private final Map<String, Made> last = new ConcurrentHashMap<>();

  /**
   * The answer for {@code org}: the one made last time when it was made from an equal reply,
   * the same name and the same visibility; else {@code encode}'s, kept for next time. The reply
   * must not be changed afterwards (the gateway's replies are fresh copies, never changed).
   */
  Buffer answer(String org, JsonObject reply, String name, boolean withSecrets,
      Supplier<Buffer> encode) {
    Made made = last.get(org);
    if (made != null && made.from(reply, name, withSecrets)) {
      return made.body;
    }
    Buffer body = encode.get();
    if (last.size() >= MAX_ORGS) {
      last.clear();
    }
    last.put(org, new Made(reply, name, withSecrets, body));
    return body;
  }
}
