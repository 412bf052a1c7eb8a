package dev.vigia.common.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers as they may appear in a log line: only the last 4 digits stay
 * ({@code 5215550001111@s.whatsapp.net} → {@code ******1111@s.whatsapp.net}). The org's journal,
 * which only its people read, keeps the full number; the server log, read by operators of every
 * org, never does.
 */
public final class Masked {

  /** Runs of 7+ digits: a phone number, alone or as a jid's user part. */
  private static final Pattern DIGITS = Pattern.compile("\\d{7,}");

  private Masked() {}

  /** A phone number or jid with all but its last 4 digits hidden; null stays null. */
  public static String phone(String phoneOrJid) {
    return phoneOrJid == null ? null : in(phoneOrJid);
  }

  /** {@code text} with every phone-length run of digits masked (for free-form messages). */
  public static String in(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = DIGITS.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String digits = m.group();
      m.appendReplacement(out, "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4));
    }
    m.appendTail(out);
    return out.toString();
  }
}
