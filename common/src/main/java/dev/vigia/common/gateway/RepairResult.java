package dev.vigia.common.gateway;

/** What a repair did: how many of the contact's Signal session keys it removed. */
public record RepairResult(String org, String contact, int removed) {}
