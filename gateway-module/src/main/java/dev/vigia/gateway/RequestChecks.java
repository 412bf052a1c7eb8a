package dev.vigia.gateway;

import dev.vigia.common.ArchiveId;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.ConnectRequest;
import dev.vigia.common.gateway.Failure;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a request must hold before it reaches a session: each check answers the value to use or
 * throws a {@link GatewayFailure} 400 a person can act on (DESIGN §1: nothing else reaches a
 * file path or a query).
 */
final class RequestChecks {

  private static final Pattern CONTACT = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern PHONE = Pattern.compile("^[0-9]{7,15}$");
  private static final int MAX_TEXT = 65_536;
  private static final int MAX_TO = 128;
  private static final Set<SessionState> SETTLE_STATES = EnumSet.of(SessionState.RECONNECTING,
      SessionState.FAILED, SessionState.STOPPED);

  private RequestChecks() {}

  static String org(String org) {
    if (!OrgId.isValid(org)) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
    }
    return org;
  }

  /** An archive id, checked before it reaches the store (which checks its own form again). */
  static String archiveId(String id) {
    if (!ArchiveId.isValid(id)) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "invalid archive id: " + ArchiveId.describeInvalid());
    }
    return id;
  }

  /** The phone to pair with ({@code pairing_code}), or {@code null} for a QR. */
  static String pairingPhone(String method, String phone) {
    if (method == null || method.equals(ConnectRequest.QR)) {
      return null;
    }
    if (!method.equals(ConnectRequest.PAIRING_CODE)) {
      throw new GatewayFailure(Failure.BAD_INPUT, "method must be qr or pairing_code");
    }
    String digits = phone == null ? "" : phone.replaceAll("[\\s+()-]", "");
    if (!PHONE.matcher(digits).matches()) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "pairing_code needs the phone number with country code, 7 to 15 digits");
    }
    return digits;
  }

  static void message(String to, String text) {
    if (to == null || to.isBlank() || to.length() > MAX_TO) {
      throw new GatewayFailure(Failure.BAD_INPUT, "to must be a phone number or jid");
    }
    if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "text must have 1 to " + MAX_TEXT + " characters");
    }
  }

  /** A jid ({@code 521…@s.whatsapp.net}, {@code 521…:3@…}) or a bare number: the user part. */
  static String contact(String raw) {
    String contact = raw == null ? "" : raw.trim();
    int at = contact.indexOf('@');
    if (at >= 0) {
      contact = contact.substring(0, at);
    }
    int device = contact.indexOf(':');
    if (device >= 0) {
      contact = contact.substring(0, device);
    }
    if (!CONTACT.matcher(contact).matches()) {
      throw new GatewayFailure(Failure.BAD_INPUT, "contact must be a phone number or jid");
    }
    return contact;
  }

  /** The monitor records RECONNECTING, FAILED or STOPPED; nothing else. */
  static SessionState settleState(SessionState state) {
    if (state == null || !SETTLE_STATES.contains(state)) {
      throw new GatewayFailure(Failure.BAD_INPUT,
          "state must be RECONNECTING, FAILED or STOPPED");
    }
    return state;
  }

  static String actor(String actor) {
    return actor == null || actor.isBlank() ? "unknown" : actor;
  }
}
