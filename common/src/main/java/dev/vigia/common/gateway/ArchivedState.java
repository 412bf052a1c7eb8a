package dev.vigia.common.gateway;

import java.time.Instant;

/**
 * One cleared auth state of an org, as the archive list shows it: when and why it was archived,
 * who asked ({@code user:ana}, {@code api-key:…}, {@code monitor}, {@code vigia}; {@code null}
 * when not recorded, as in archives made before Vigía recorded it), whether it held a linked
 * login (a device identity signed by the phone, or {@code registered}, with {@code me}) and the
 * number of that login. The number is the org's own: only the people of the org see this.
 */
public record ArchivedState(String id, Instant archivedAt, String reason, String actor,
    boolean linked, String phone) {}
