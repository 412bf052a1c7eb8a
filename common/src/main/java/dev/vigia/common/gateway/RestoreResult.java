package dev.vigia.common.gateway;

import dev.vigia.common.session.SessionView;

/** The session as the restore left it ({@code STARTING}, usually) and the archive it came from. */
public record RestoreResult(SessionView session, String restoredFrom) {}
