package dev.vigia.gateway.engine;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A WhatsApp engine: opens connections for orgs. The gateway owns one engine; an engine reads an
 * org's auth state and writes it only through the {@link RunAuthState} of the session's run.
 */
public interface Engine {

  /** {@code simulated} or {@code baileys}. */
  String name();

  /**
   * Prepares a connection for {@code auth.org()}; nothing happens until
   * {@link EngineSession#start}. Events for this session go to {@code listener} on the context
   * this is called on (the gateway's).
   */
  EngineSession open(RunAuthState auth, EngineListener listener);

  /**
   * Where this engine keeps one contact's Signal sessions (the keys a repair deletes, so the next
   * message from that contact starts a fresh session); {@code contact} is a jid's user part.
   */
  KeyRange contactSessions(String contact);

  /**
   * Every key range that holds one contact's Signal sessions, reading the org's keys where it
   * needs to. Both engines keep Baileys' layout: Baileys keys a session by the contact's WhatsApp
   * LID when it knows one ({@code session-<lid>_1.<device>}, which is how WhatsApp addresses
   * contacts now) and by the number otherwise ({@link #contactSessions(String)});
   * {@code lid-mapping-<number>} says which LID a number has.
   */
  default Future<List<KeyRange>> contactSessions(String contact, KeyReader keys) {
    KeyRange byNumber = contactSessions(contact);
    return keys.get("lid-mapping", List.of(contact)).map(found -> {
      List<KeyRange> ranges = new ArrayList<>(List.of(byNumber,
          new KeyRange(byNumber.type(), contact + "_1.")));
      String lid = lidOf(found.get(contact));
      if (lid != null) {
        ranges.add(new KeyRange(byNumber.type(), lid + "_1."));
      }
      return ranges;
    });
  }

  /** The LID a {@code lid-mapping} value names (a JSON string of digits), or null. */
  private static String lidOf(String json) {
    if (json == null) {
      return null;
    }
    try {
      Object value = Json.decodeValue(json);
      return value instanceof String lid && lid.matches("[0-9]{1,32}") ? lid : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Reads stored keys of the org being repaired: id to JSON text, absent ids left out. */
  @FunctionalInterface
  interface KeyReader {
    Future<Map<String, String>> get(String type, List<String> ids);
  }

  /** Readiness: succeeds when the engine can open sessions (the simulated one always can). */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /**
   * Stops what the engine runs and starts it again (an operator's restart); every session it
   * held is gone, without a close event (the gateway has ended their runs first). Completes once
   * the engine can open sessions again. An engine with nothing of its own to restart (no
   * process) only has to be ready.
   */
  default Future<Void> restart() {
    return ready();
  }

  /** Stops the engine and every session it holds. */
  Future<Void> close();
}
