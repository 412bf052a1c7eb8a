package dev.vigia.gateway.store;

import dev.vigia.common.gateway.ArchivedState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Where each org's WhatsApp auth state lives: Baileys' boundary ({@code creds} plus
 * {@code keys.get(type, ids)} / {@code keys.set({type: {id: value|null}})}), and the few
 * operations Vigía adds (clear to the archive and back, list, import). A key's value is the JSON text
 * exactly as Baileys' {@code JSON.stringify(value, BufferJSON.replacer)} writes it (an object, or
 * a plain string for {@code lid-mapping}; bytes as {@code {"type":"Buffer","data":"<base64>"}}),
 * so the store never needs to understand it and a round trip is byte-exact. Every method is safe
 * to call from an event loop.
 */
public interface AuthStateStore {

  /**
   * Makes every acknowledged write visible in the store's own layout (the file store writes its
   * key files after the write-ahead log acknowledged them; a database has nothing to do). For a
   * person or a test about to read or copy a folder of a running store.
   */
  default Future<Void> flush() {
    return Future.succeededFuture();
  }

  /** Readiness: writes, reads back and deletes a probe where sessions live; fails if it cannot. */
  Future<Void> probe();

  /** The org's {@code creds.json}, or {@code null} when there is none. */
  Future<JsonObject> readCreds(String org);

  /**
   * Writes creds outside any session run (import tools, tests). Engines never call this: they
   * write through {@link #openWriter}.
   */
  Future<Void> writeCreds(String org, JsonObject creds);

  /**
   * Opens the writer of a new run of the org's session, with an epoch greater than any before;
   * writers opened earlier for the org are revoked.
   */
  Future<AuthStateWriter> openWriter(String org);

  /** The JSON texts of {@code ids} of one key type; ids without a value are absent from the map. */
  Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids);

  /**
   * Writes a batch {@code {type: {id: jsonText}}}; a {@code null} value deletes that key. Each
   * value must be valid JSON (else the whole batch fails with {@link IllegalArgumentException}
   * before anything is written). On a crash each key is either old or new: never half-written.
   */
  Future<Void> setKeys(String org, Map<String, Map<String, String>> batch);

  /** Ids of one key type whose id starts with {@code idPrefix} (e.g. one contact's sessions). */
  Future<List<String>> keyIds(String org, String type, String idPrefix);

  /**
   * Revokes every writer of the org, then moves the org's whole auth state to the archive
   * ({@code archive/<org>/<time>/} in the file store) in one step, with the reason and who asked
   * ({@code actor}, may be null); returns where it went ({@code archive/<org>/<archive id>}), or
   * {@code null} when there was nothing to clear.
   */
  Future<String> clear(String org, String reason, String actor);

  /** {@link #clear(String, String, String)} with no actor recorded. */
  default Future<String> clear(String org, String reason) {
    return clear(org, reason, null);
  }

  /**
   * The org's archived auth states, newest first; each says whether it holds a linked login.
   * Archives made before reasons and actors were recorded list with what can be known.
   */
  Future<List<ArchivedState>> archives(String org);

  /**
   * Moves archive {@code archiveId} back as the org's auth state in one step (it leaves the
   * archive) and revokes every writer of the org. Fails with {@link AuthStateException.Kind#CONFLICT}
   * when the org has any auth state (a restore never overwrites one), with
   * {@link AuthStateException.Kind#NOT_FOUND} when the org has no such archive, and with
   * {@link IllegalArgumentException} for an id that is not one of the store's ids; then nothing
   * changed. Returns the archive as it was listed.
   */
  Future<ArchivedState> restore(String org, String archiveId);

  /**
   * Deletes archived auth states ({@code archive/<org>/<time>/}) archived before
   * {@code olderThan}; returns how many went. Live auth state is never touched.
   */
  Future<Integer> purgeArchives(Instant olderThan);

  /** Every org with stored auth state, with its last write. */
  Future<List<StoredSession>> list();

  /**
   * As {@link #list()}, for the orgs not in {@code known} only: the others are not read (after a
   * restore, the orgs with a record are thousands and their last writes are not wanted).
   */
  default Future<List<StoredSession>> listExcept(Set<String> known) {
    return list().map(all -> all.stream().filter(s -> !known.contains(s.org())).toList());
  }

  /**
   * Imports a Baileys {@code useMultiFileAuthState} folder for {@code org}: all files are checked
   * first; a bad {@code creds.json} (or any bad file) is refused naming it, and nothing is
   * imported unless everything is. Fails when the org already has auth state.
   */
  Future<ImportReport> importBaileysFolder(String org, Path folder);

  /** Org with stored state and when it was last written. */
  record StoredSession(String org, Instant lastWrite, boolean hasCreds) {}

  /** What an import brought in: file count by key type. */
  record ImportReport(String org, int files, Map<String, Integer> byType) {}
}
