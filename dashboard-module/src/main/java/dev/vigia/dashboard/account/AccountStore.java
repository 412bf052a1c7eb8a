package dev.vigia.dashboard.account;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Organizations, users and API keys. Every method is safe to call from an event loop. Changes
 * that break a rule fail with {@link AccountStoreException} ({@code CONFLICT}: the id is taken;
 * {@code NOT_FOUND}: no such org, user or key; {@code LAST_ADMIN}: the change would leave no admin).
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

  /**
   * Replaces the user named {@code username} with {@code edit} of it, in one step; its orgs must
   * exist, and it may not demote the last admin.
   */
  Future<User> updateUser(String username, UnaryOperator<User> edit);

  /** Removes the user; never the last admin. */
  Future<Void> deleteUser(String username);

  /** Stores a key whose org must exist. */
  Future<ApiKey> createApiKey(ApiKey key);

  /** The keys of {@code org}, oldest first. */
  Future<List<ApiKey>> listApiKeys(String org);

  /** Removes the key {@code id} of {@code org}: from then on it authenticates nothing. */
  Future<ApiKey> deleteApiKey(String org, String id);

  /** The key whose {@link ApiKeys#hash} is {@code hash}. */
  Future<Optional<ApiKey>> findApiKeyByHash(String hash);
}
