package dev.vigia.common.gateway;

/** A message's id and status ({@code sent} or {@code failed}). */
public record SendReceipt(String id, String status) {}
