package dev.vigia.common.gateway;

import java.util.List;

/** An org's archived auth states, newest first. */
public record ArchiveList(String org, List<ArchivedState> archives) {}
