package dev.vigia.common.gateway;

import dev.vigia.common.session.SessionView;

/** What a clear did: where the old auth state went (null when there was none). */
public record ClearResult(SessionView session, String archivedTo) {}
