package dev.vigia.common.session;

import java.time.Instant;

/**
 * A person's command that concerned one org (a clear, an engine restart), published by the
 * gateway once it is done, on {@link #ADDRESS}; the monitor writes it to the org's journal with
 * {@code actor} (who) and {@code at} (when), before the state change it caused.
 */
public record Operation(String org, String action, String actor, String message, Instant at) {

  public static final String ADDRESS = "vigia.session.operation";

  /** The auth state was moved to the archive ({@code rm -rf auth_sessions/<org>} of old). */
  public static final String CLEAR = "clear";
  /** The engine was restarted while this org had an open session ({@code pm2 restart}). */
  public static final String ENGINE_RESTART = "engine_restart";
}
