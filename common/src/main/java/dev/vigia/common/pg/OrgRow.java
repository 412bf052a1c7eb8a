package dev.vigia.common.pg;

/**
 * The {@code org} row every org's table hangs off (schema V1): a store makes sure of it in the
 * same transaction as its first row for the org, so deleting the org row removes everything.
 */
public final class OrgRow {

  /** $1: the org id (checked by the table too). */
  public static final String ENSURE = "INSERT INTO org (org) VALUES ($1) ON CONFLICT DO NOTHING";

  private OrgRow() {}
}
