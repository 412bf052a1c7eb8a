package dev.vigia.gateway.store;

import dev.vigia.common.gateway.ArchivedState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link AuthStateStore} in memory, for gateway tests: same contract, the archive is a map of
 * cleared states (location {@code memory:archive/<org>/<n>}).
 */
public final class InMemoryAuthStateStore implements AuthStateStore {

  /** One org's auth state: creds plus keys by type and id (values are JSON text). */
  public record State(JsonObject creds, Map<String, Map<String, String>> keys, Instant lastWrite) {}

  /** An archived state with its note. */
  private record Archived(String org, String id, State state, String reason, String actor) {}

  private final Clock clock;
  private final Map<String, JsonObject> creds = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Map<String, String>>> keys = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();
  /** By location, {@code memory:archive/<org>/<n>}. */
  private final Map<String, Archived> archive = new LinkedHashMap<>();
  private long archived;

  private int credsReads;

  /** Reads of {@code creds.json} so far, every org. */
  public synchronized int credsReads() {
    return credsReads;
  }

  public InMemoryAuthStateStore(Clock clock) {
    this.clock = clock;
  }

  /** Memory is always writable; a test may make the probe fail to see readiness go down. */
  private volatile String probeFailure;

  public void failProbe(String why) {
    this.probeFailure = why;
  }

  /** A test makes the writes of session runs fail as a full disk would (null: they work). */
  private volatile String writeFailure;

  public void failWrites(String why) {
    this.writeFailure = why;
  }

  /** A test makes the next clears fail as a full disk would (null: they work again). */
  private volatile String clearFailure;

  public void failClear(String why) {
    this.clearFailure = why;
  }

  @Override
  public Future<Void> probe() {
    String why = probeFailure;
    return why == null ? Future.succeededFuture()
        : Future.failedFuture(new AuthStateException(AuthStateException.Kind.STORAGE, why));
  }

  @Override
  public synchronized Future<JsonObject> readCreds(String org) {
    credsReads++;
    JsonObject c = creds.get(org);
    return Future.succeededFuture(c == null ? null : c.copy());
  }

  @Override
  public synchronized Future<Void> writeCreds(String org, JsonObject value) {
    creds.put(org, value.copy());
    lastWrite.put(org, clock.instant());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Map<String, String>> getKeys(String org, String type,
      Collection<String> ids) {
    Map<String, String> ofType = keys.getOrDefault(org, Map.of()).getOrDefault(type, Map.of());
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : ids) {
      if (ofType.containsKey(id)) {
        out.put(id, ofType.get(id));
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    for (var type : batch.values()) {
      for (String value : type.values()) {
        if (value != null) {
          try {
            io.vertx.core.json.Json.decodeValue(value);
          } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalArgumentException("a key value is not JSON"));
          }
        }
      }
    }
    var orgKeys = keys.computeIfAbsent(org, k -> new TreeMap<>());
    batch.forEach((type, values) -> values.forEach((id, value) -> {
      var ofType = orgKeys.computeIfAbsent(type, t -> new TreeMap<>());
      if (value == null) {
        ofType.remove(id);
      } else {
        ofType.put(id, value);
      }
    }));
    lastWrite.put(org, clock.instant());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<String>> keyIds(String org, String type, String idPrefix) {
    List<String> ids = new ArrayList<>();
    keys.getOrDefault(org, Map.of()).getOrDefault(type, Map.of()).keySet().forEach(id -> {
      if (id.startsWith(idPrefix)) {
        ids.add(id);
      }
    });
    return Future.succeededFuture(ids);
  }

  @Override
  public synchronized Future<AuthStateWriter> openWriter(String org) {
    RunWriter previous = writers.get(org);
    if (previous != null) {
      previous.revoke();
    }
    // writes are synchronous here: the check and the write are one step under the store's lock
    RunWriter writer = new RunWriter(org, previous == null ? 1 : previous.epoch() + 1,
        (o, creds, w) -> checked(w, () -> writeCreds(o, creds)),
        (o, batch, w) -> checked(w, () -> setKeys(o, batch)));
    writers.put(org, writer);
    return Future.succeededFuture(writer);
  }

  private final Map<String, RunWriter> writers = new ConcurrentHashMap<>();

  private synchronized Future<Void> checked(RunWriter writer,
      java.util.function.Supplier<Future<Void>> write) {
    if (writer.isRevoked()) {
      return Future.failedFuture(writer.revokedFailure());
    }
    String why = writeFailure;
    return why != null
        ? Future.failedFuture(new AuthStateException(AuthStateException.Kind.STORAGE, why))
        : write.get();
  }

  @Override
  public synchronized Future<String> clear(String org, String reason, String actor) {
    RunWriter current = writers.get(org);
    if (current != null) {
      current.revoke();
    }
    String why = clearFailure;
    if (why != null) {
      return Future.failedFuture(new AuthStateException(AuthStateException.Kind.STORAGE, why));
    }
    JsonObject c = creds.remove(org);
    var k = keys.remove(org);
    lastWrite.remove(org);
    if (c == null && (k == null || k.isEmpty())) {
      return Future.succeededFuture(null);
    }
    String id = String.valueOf(++archived);
    String location = location(org, id);
    archive.put(location, new Archived(org, id, new State(c, k == null ? Map.of() : k,
        clock.instant()), reason, actor));
    return Future.succeededFuture(location);
  }

  private static String location(String org, String id) {
    return "memory:archive/" + org + "/" + id;
  }

  @Override
  public synchronized Future<List<ArchivedState>> archives(String org) {
    List<ArchivedState> out = new ArrayList<>();
    archive.values().forEach(a -> {
      if (a.org().equals(org)) {
        out.add(0, describe(a)); // newest first
      }
    });
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<ArchivedState> restore(String org, String archiveId) {
    Archived a = archive.get(location(org, archiveId));
    if (a == null) {
      return Future.failedFuture(new AuthStateException(AuthStateException.Kind.NOT_FOUND,
          "organization " + org + " has no archive " + archiveId));
    }
    if (creds.containsKey(org) || !keys.getOrDefault(org, Map.of()).isEmpty()) {
      return Future.failedFuture(new AuthStateException(AuthStateException.Kind.CONFLICT,
          "organization " + org + " already has auth state; nothing was restored"));
    }
    RunWriter current = writers.get(org);
    if (current != null) {
      current.revoke();
    }
    archive.remove(location(org, archiveId));
    if (a.state().creds() != null) {
      creds.put(org, a.state().creds());
    }
    keys.put(org, new TreeMap<>(a.state().keys()));
    lastWrite.put(org, clock.instant());
    return Future.succeededFuture(describe(a));
  }

  private static ArchivedState describe(Archived a) {
    return new ArchivedState(a.id(), a.state().lastWrite(), a.reason(), a.actor(),
        LinkedLogin.isLinked(a.state().creds()), LinkedLogin.phone(a.state().creds()));
  }

  @Override
  public synchronized Future<Integer> purgeArchives(Instant olderThan) {
    int before = archive.size();
    archive.values().removeIf(a -> a.state().lastWrite().isBefore(olderThan));
    return Future.succeededFuture(before - archive.size());
  }

  @Override
  public synchronized Future<List<StoredSession>> list() {
    List<StoredSession> out = new ArrayList<>();
    lastWrite.forEach((org, at) -> out.add(new StoredSession(org, at, creds.containsKey(org))));
    return Future.succeededFuture(out);
  }

  @Override
  public Future<ImportReport> importBaileysFolder(String org, Path folder) {
    return Future.failedFuture(new UnsupportedOperationException("not in the in-memory store"));
  }

  /** Tests: the archived state at a location {@link #clear} returned. */
  public synchronized State archived(String location) {
    Archived a = archive.get(location);
    return a == null ? null : a.state();
  }

  /** Tests: every key of one type for an org, id to JSON text. */
  public synchronized Map<String, String> keys(String org, String type) {
    return new HashMap<>(keys.getOrDefault(org, Map.of()).getOrDefault(type, Map.of()));
  }
}
