package dev.vigia.common.logging;

import org.slf4j.MDC;

/**
 * Puts the org a log line concerns into the MDC ({@code "mdc": {"org": …}} in the JSON lines), so
 * an operator can filter one org's lines. Use it around every log call about one org.
 */
public final class OrgMdc {

  public static final String KEY = "org";

  private OrgMdc() {}

  /** Runs {@code log} with the MDC {@code org} set, and removes it after. */
  public static void run(String org, Runnable log) {
    if (org == null) {
      log.run();
      return;
    }
    try (var ignored = MDC.putCloseable(KEY, org)) {
      log.run();
    }
  }
}
