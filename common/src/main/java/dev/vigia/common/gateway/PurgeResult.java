package dev.vigia.common.gateway;

/** How many archived auth states a purge deleted. */
public record PurgeResult(int purged) {}
