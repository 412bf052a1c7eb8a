package dev.vigia.common.gateway;

/** The org's archived auth states, newest first ({@link ArchiveList}). */
public record ArchivesRequest(String org) {
  public static final String ADDRESS = GatewayAddresses.ARCHIVES;
}
