package dev.vigia.dashboard.account;

import java.time.Instant;

/**
 * An admin's token for the command line ({@code vigia status}, {@code logs}, {@code restart-engine}
 * against a running server): it acts as {@code username}, only while that user exists, is an
 * admin and keeps the password it had when the token was made ({@code userStamp}, a hash of the
 * user's password hash: a password change or a re-created user ends it, as it ends their
 * logins). Only {@code hash} (see {@link AdminTokens#hash}) is stored; the token itself is shown
 * once, when it is made.
 */
public record AdminToken(String id, String username, String hash, String userStamp,
    Instant createdAt, String label) {}
