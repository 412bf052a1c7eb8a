package dev.vigia.common;

import java.util.regex.Pattern;

/**
 * Ids of archived auth states, as the stores name them: the file store's UTC time
 * ({@code 2026-11-28T08-45-00.000Z}, {@code …Z-1} for a second clear in the same millisecond), the
 * PostgreSQL store's row number ({@code 17}). Checked before an id reaches a file path or a query:
 * letters, digits, '.' and '-' only, never starting with '.', so no id can name a folder above
 * {@code archive/<org>/}. Each store then checks its own stricter form.
 */
public final class ArchiveId {

  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$");

  private ArchiveId() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches() && !id.contains("..");
  }

  /** Returns the id, or throws {@link IllegalArgumentException} with a message safe to show. */
  public static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("invalid archive id: " + describeInvalid());
    }
    return id;
  }

  /** What a valid id looks like, for error messages. */
  public static String describeInvalid() {
    return "use the id GET /api/sessions/{org}/archives lists (letters, digits, '.' and '-')";
  }
}
