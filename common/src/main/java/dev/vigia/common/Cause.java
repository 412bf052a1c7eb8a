package dev.vigia.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a session changed state: WhatsApp's numeric code (Baileys {@code DisconnectReason}) where
 * there is one, a stable machine word, and a sentence a person can read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cause(Integer code, String reason, String message) {

  public static final String RESTART_REQUIRED = "restart_required";
  public static final String CONNECTION_CLOSED = "connection_closed";
  public static final String CONNECTION_LOST = "connection_lost";
  public static final String UNAVAILABLE = "unavailable";
  public static final String NETWORK_DOWN = "network_down";
  public static final String NETWORK_UP = "network_up";
  public static final String BAD_SESSION = "bad_session";
  public static final String CONFLICT = "conflict";
  public static final String LOGGED_OUT = "logged_out";
  public static final String BANNED = "banned";
  public static final String OUTDATED = "outdated";
  public static final String QR_EXPIRED = "qr_expired";
  public static final String BAD_MAC = "bad_mac";
  public static final String SCANNED = "scanned";
  public static final String USER_REQUEST = "user_request";
  public static final String RESTORED = "restored";
  /** The engine could not start a session (Node missing, bridge down): the monitor retries. */
  public static final String ENGINE_UNAVAILABLE = "engine_unavailable";
  /** The store refused or failed a credentials write: the run is closed, the monitor retries. */
  public static final String CREDS_WRITE_FAILED = "creds_write_failed";
  /** A 401's credentials could not be archived: the session is FAILED and a person alerted. */
  public static final String ARCHIVE_FAILED = "archive_failed";
  /** An operator restarted the engine (the Node process): every open session closes with it. */
  public static final String ENGINE_RESTART = "engine_restart";
  /** A person brought an archived auth state back: the session starts from it. */
  public static final String ARCHIVE_RESTORED = "archive_restored";

  /** 515: WhatsApp asks for a fresh connection; normal right after a scan. */
  public static Cause restartRequired() {
    return new Cause(515, RESTART_REQUIRED, "Stream Errored (restart required)");
  }

  /** 428: the server closed the connection. */
  public static Cause connectionClosed() {
    return new Cause(428, CONNECTION_CLOSED, "Connection Closed");
  }

  /** 408: the connection was lost (keep-alive timed out). */
  public static Cause connectionLost() {
    return new Cause(408, CONNECTION_LOST, "Connection Lost");
  }

  /** 503: WhatsApp's service is unavailable for now. */
  public static Cause unavailable() {
    return new Cause(503, UNAVAILABLE, "Service Unavailable");
  }

  /** No code: the network itself is down (DNS, socket). */
  public static Cause networkDown() {
    return new Cause(null, NETWORK_DOWN, "Network unreachable");
  }

  /** 500: the stored session is bad. */
  public static Cause badSession() {
    return new Cause(500, BAD_SESSION, "Bad Session");
  }

  /** 440: another client holds these credentials. */
  public static Cause conflict() {
    return new Cause(440, CONFLICT, "Stream Errored (conflict)");
  }

  /** 401: the phone or WhatsApp removed this device. */
  public static Cause loggedOut() {
    return new Cause(401, LOGGED_OUT, "Connection Failure (logged out)");
  }

  /** 402 / 403 / 406: the account is restricted. */
  public static Cause banned(int code) {
    return new Cause(code, BANNED, "Account restricted by WhatsApp");
  }

  /** 405 / 411: this client is too old for WhatsApp. */
  public static Cause outdated(int code) {
    return new Cause(code, OUTDATED, "Connection Failure (client outdated)");
  }

  /** 408 at link time: the phone never scanned any of the QR codes. */
  public static Cause qrExpired() {
    return new Cause(408, QR_EXPIRED, "QR refs attempts ended");
  }

  /** A person asked for this change. */
  public static Cause userRequest(String message) {
    return new Cause(null, USER_REQUEST, message);
  }
}
