package dev.vigia.gateway.engine;

/** Keys of one type whose id starts with a prefix, in the engine's key layout. */
public record KeyRange(String type, String idPrefix) {}
