package dev.vigia.common.gateway;

import java.util.List;

/**
 * What an engine restart did: the orgs whose open sessions it closed (each journaled with who
 * asked), and whether the engine answers again ({@code detail} says why not).
 */
public record EngineRestartResult(String engine, List<String> orgs, boolean ready, String detail) {

  public EngineRestartResult {
    orgs = orgs == null ? List.of() : List.copyOf(orgs);
  }
}
