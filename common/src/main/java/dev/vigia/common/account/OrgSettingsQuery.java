package dev.vigia.common.account;

/**
 * Served by the dashboard (which owns the accounts): one org's alert settings, for the monitor.
 * Fails with 404 for an org that does not exist.
 */
public record OrgSettingsQuery(String org) {
  public static final String ADDRESS = "vigia.accounts.org";
}
