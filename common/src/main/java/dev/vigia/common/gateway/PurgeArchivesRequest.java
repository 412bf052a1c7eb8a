package dev.vigia.common.gateway;

import java.time.Instant;

/** Deletes archived auth states older than {@code olderThan}; replies {@link PurgeResult}. */
public record PurgeArchivesRequest(Instant olderThan) {
  public static final String ADDRESS = GatewayAddresses.PURGE_ARCHIVES;
}
