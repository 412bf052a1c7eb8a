package dev.vigia.dashboard.account;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Organizations, users and API keys. Every method is safe to call from an event loop. Changes
 * that break a rule fail with {@link AccountStoreException} ({@code CONFLICT}: the id is taken;
 * {@code NOT_FOUND}: no such org).
 */
public interface AccountStore {

  /** Loads what is stored; call once before anything else (idempotent). */
  Future<Void> open();

  Future<List<Org>> listOrgs();

  Future<Optional<Org>> findOrg(String id);

  Future<Org> createOrg(Org org);

  /** Replaces the org with the same id. */
  Future<Org> updateOrg(Org org);

  /** Removes the org, its API keys, and its membership in every user's {@code orgs}. */
  Future<Void> deleteOrg(String id);

  Future<List<User>> listUsers();

  Future<Optional<User>> findUser(String username);

  Future<User> createUser(User user);

  /** Stores a key whose org must exist. */
  Future<ApiKey> createApiKey(ApiKey key);

  /** The key whose {@link ApiKeys#hash} is {@code hash}. */
  Future<Optional<ApiKey>> findApiKeyByHash(String hash);
}
