package dev.vigia.common;

import java.util.regex.Pattern;

/**
 * Organization ids: {@code ^[A-Za-z0-9_-]{1,64}$} (DESIGN §1). Checked before an id reaches a
 * file path, a query or an event-bus address.
 */
public final class OrgId {

  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private OrgId() {}

  public static boolean isValid(String org) {
    return org != null && VALID.matcher(org).matches();
  }

  /** Returns the id, or throws {@link IllegalArgumentException} with a message safe to show. */
  public static String require(String org) {
    if (!isValid(org)) {
      throw new IllegalArgumentException("invalid organization id: " + describeInvalid());
    }
    return org;
  }

  /** What a valid id looks like, for error messages. */
  public static String describeInvalid() {
    return "use 1 to 64 letters, digits, '-' or '_'";
  }
}
