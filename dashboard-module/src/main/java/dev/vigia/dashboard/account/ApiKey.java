package dev.vigia.dashboard.account;

import java.time.Instant;

/**
 * A machine client's key, scoped to one org. Only {@code hash} (see {@link ApiKeys#hash}) is
 * stored; the key itself is shown once, when it is made.
 */
public record ApiKey(String id, String org, String hash, Instant createdAt, String label) {}
