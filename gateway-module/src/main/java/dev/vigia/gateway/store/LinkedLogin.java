package dev.vigia.gateway.store;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** What Baileys' {@code creds.json} says of the login it holds, for restarts and the archive list. */
public final class LinkedLogin {

  private static final Pattern DIGITS = Pattern.compile("^[0-9]{5,20}$");

  private LinkedLogin() {}

  /**
   * Linked: a device identity signed by the phone ({@code account}, stored by Baileys at
   * pair-success), or {@code registered}, with {@code me}. Baileys sets {@code registered} only
   * after a pairing-code link, never after a QR scan, and sets {@code me} already when it asks for
   * a pairing code.
   */
  public static boolean isLinked(JsonObject creds) {
    return creds != null && creds.getValue("me") instanceof JsonObject
        && (creds.getValue("account") != null
            || Boolean.TRUE.equals(creds.getValue("registered")));
  }

  /**
   * The phone number of the linked account ({@code me.id}: {@code 5215550001111:7@s.whatsapp.net}),
   * or {@code null} when there is none.
   */
  public static String phone(JsonObject creds) {
    if (creds == null || !(creds.getValue("me") instanceof JsonObject me)
        || !(me.getValue("id") instanceof String id)) {
      return null;
    }
    String user = id.split("@", 2)[0].split(":", 2)[0];
    return DIGITS.matcher(user).matches() ? user : null;
  }
}
