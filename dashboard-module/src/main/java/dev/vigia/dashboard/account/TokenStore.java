package dev.vigia.dashboard.account;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Admin tokens. Every method is safe to call from an event loop. A missing token fails with
 * {@link AccountStoreException} ({@code NOT_FOUND}).
 */
public interface TokenStore {

  /** Loads what is stored; call once before anything else (idempotent). */
  Future<Void> open();

  Future<AdminToken> create(AdminToken token);

  /** Every token, oldest first. */
  Future<List<AdminToken>> list();

  /** Removes the token {@code id}: from then on it authenticates nothing. */
  Future<AdminToken> delete(String id);

  /** The token whose {@link AdminTokens#hash} is {@code hash}. */
  Future<Optional<AdminToken>> findByHash(String hash);
}
