package dev.vigia.common.journal;

/** Read an org's journal, newest first; replied with a {@link JournalPage}. */
public record JournalQuery(String org, int limit) {
  public static final String ADDRESS = "vigia.monitor.journal";
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;
}
