package dev.vigia.app.ops;

import java.io.Console;

/** The command line's confirmation of an action that cannot be taken back, as the page asks. */
final class Confirm {

  private Confirm() {}

  /**
   * Returns when {@code yes} was given or the person types {@code word}; else refuses, and
   * without a terminal to ask on, says to give {@code --yes}.
   */
  static void orRefuse(boolean yes, String question, String word) {
    if (yes) {
      return;
    }
    Console console = System.console();
    if (console == null) {
      throw new OpsException("this cannot be undone from here: confirm with --yes (there is no"
          + " terminal to ask on)");
    }
    String typed = console.readLine("%s%nType %s to confirm: ", question, word);
    if (typed == null || !typed.trim().equals(word)) {
      throw new OpsException("not confirmed; nothing was done");
    }
  }

  /** Who acts on the data dir of a stopped server: the system user at this terminal. */
  static String actor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }
}
