package dev.vigia.common.gateway;

/**
 * Brings archive {@code archiveId} back as the org's auth state and starts the session from it;
 * refused (409) while the org has live state: a restore never overwrites one.
 */
public record RestoreRequest(String org, String archiveId, String actor) {
  public static final String ADDRESS = GatewayAddresses.RESTORE;
}
