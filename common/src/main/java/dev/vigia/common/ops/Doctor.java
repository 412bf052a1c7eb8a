package dev.vigia.common.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigia.common.Cause;
import dev.vigia.common.monitor.SystemHealth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vigia doctor}: reads a status report (the JSON of {@code GET /api/ops/status}, or the
 * one the command line builds from a stopped server's data dir) and names each problem with its
 * fix, most serious first. A pure function: the server and the command line give the same advice.
 */
public final class Doctor {

  public static final String ERROR = "error";
  public static final String WARNING = "warning";
  /** Nothing is broken, but a person must act (a QR waits to be scanned). */
  public static final String ACTION = "action";

  /**
   * One problem: which check ({@code engine}, {@code store}, {@code disk}, {@code network},
   * {@code session}), the org for a session, how serious, a stable {@code code} (the page's texts
   * are keyed by it), what is wrong and how to fix it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(String check, String org, String severity, String code, String problem,
      String fix) {

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("check", check).put("severity", severity)
          .put("code", code).put("problem", problem).put("fix", fix);
      return org == null ? j : j.put("org", org);
    }
  }

  private Doctor() {}

  public static List<Problem> examine(JsonObject status) {
    List<Problem> found = new ArrayList<>();
    engine(status.getJsonObject("engine", new JsonObject()), found);
    store(status.getJsonObject("store", new JsonObject()), found);
    disk(status.getJsonObject("disk", new JsonObject()), found);
    network(status.getJsonObject("network", new JsonObject()), found);
    for (Object o : status.getJsonArray("sessions", new JsonArray())) {
      if (o instanceof JsonObject s) {
        session(s, found);
      }
    }
    found.sort((a, b) -> Integer.compare(rank(a.severity()), rank(b.severity())));
    return found;
  }

  private static int rank(String severity) {
    return switch (severity) {
      case ERROR -> 0;
      case WARNING -> 1;
      default -> 2;
    };
  }

  private static void engine(JsonObject e, List<Problem> found) {
    String status = e.getString("status", SystemHealth.UNKNOWN);
    String name = e.getString("name", "engine");
    if ("STOPPED".equals(status)) {
      found.add(new Problem("engine", null, ERROR, "server_stopped",
          "no Vigía server runs on this data dir: no session is connected",
          "start it (java -jar vigia.jar serve, or through your service manager); the sessions"
              + " that were connected reconnect by themselves, without a QR"));
    } else if (SystemHealth.DOWN.equals(status)) {
      found.add(new Problem("engine", null, ERROR, "engine_down",
          "the WhatsApp engine (" + name + ") is not running: " + e.getString("detail", "?"),
          "install Node.js 20 or newer and npm on the PATH (or set VIGIA_NODE) and let Vigía"
              + " reach the npm registry once; then restart the engine (vigia restart-engine, or"
              + " 'Restart the engine' on the Operations page)"));
    }
  }

  private static void store(JsonObject s, List<Problem> found) {
    if (SystemHealth.DOWN.equals(s.getString("status"))) {
      found.add(new Problem("store", null, ERROR, "store_down",
          "the " + s.getString("name", "") + " store cannot write: " + s.getString("detail", "?"),
          "check that the data dir (VIGIA_DATA_DIR) is writable by Vigía's user and its disk has"
              + " room; with PostgreSQL, that VIGIA_PG_URL answers and is not read-only"));
    }
  }

  private static void disk(JsonObject d, List<Problem> found) {
    String status = d.getString("status", SystemHealth.UNKNOWN);
    String fix = "free space on the disk of " + d.getString("path", "the data dir")
        + " (archived sessions are purged after VIGIA_ARCHIVE_DAYS), or move VIGIA_DATA_DIR to a"
        + " larger disk; Vigía resumes its writes by itself";
    if (SystemHealth.DOWN.equals(status)) {
      found.add(new Problem("disk", null, ERROR, "disk_full", d.getString("detail", "disk full"),
          fix));
    } else if (SystemHealth.WARN.equals(status)) {
      found.add(new Problem("disk", null, WARNING, "disk_low", d.getString("detail", "low"), fix
          + " (the threshold is VIGIA_DISK_WARN_PERCENT / VIGIA_DISK_WARN_MB)"));
    }
  }

  private static void network(JsonObject n, List<Problem> found) {
    if (SystemHealth.DOWN.equals(n.getString("status"))) {
      found.add(new Problem("network", null, ERROR, "network_down",
          "WhatsApp cannot be reached: " + n.getString("detail", "?"),
          "check DNS and outbound TCP to " + n.getString("target", "web.whatsapp.com:443")
              + " from this server (firewall, proxy); sessions reconnect by themselves once it"
              + " answers"));
    }
  }

  private static void session(JsonObject s, List<Problem> found) {
    String org = s.getString("org");
    String state = s.getString("state", "");
    JsonObject cause = s.getJsonObject("cause");
    String reason = cause == null ? null : cause.getString("reason");
    String why = cause == null ? "" : " (" + (cause.getValue("code") == null ? ""
        : cause.getValue("code") + " ") + cause.getString("message", reason) + ")";
    switch (state) {
      case "CONFLICT" -> found.add(new Problem("session", org, WARNING, "session_conflict",
          "another client uses this org's WhatsApp credentials" + why
              + "; Vigía never retries by itself",
          "if Vigía should use this number, choose 'Take over' on the org's page; else clear it"
              + " (vigia clear " + org + ") and link it again with a QR"));
      case "LOGGED_OUT" -> found.add(new Problem("session", org, WARNING, "session_logged_out",
          "the phone or WhatsApp removed this linked device" + why,
          "press 'Connect WhatsApp' on the org's page and scan the new QR (the old credentials"
              + " are archived)"));
      case "BANNED" -> found.add(new Problem("session", org, ERROR, "session_banned",
          "WhatsApp restricted this account" + why,
          "open WhatsApp on the phone and follow its notice; connecting again cannot help until"
              + " WhatsApp lifts it (clear the session to link another number)"));
      case "FAILED" -> found.add(failed(org, reason, why));
      case "QR_REQUIRED", "PAIRING_CODE" -> found.add(new Problem("session", org, ACTION,
          "session_waiting_scan", "the session waits for a phone to scan its QR code (or type"
              + " its pairing code)",
          "open the org's page and scan the QR with the phone (WhatsApp > Linked devices > Link"
              + " a device)"));
      default -> {
        // STOPPED, STARTING, CONNECTED, RECONNECTING: nothing for a person to do
      }
    }
  }

  private static Problem failed(String org, String reason, String why) {
    String fix;
    if (Cause.OUTDATED.equals(reason)) {
      fix = "WhatsApp refuses this engine version: upgrade Vigía (its Baileys), restart it and"
          + " press 'Connect WhatsApp'";
    } else if (Cause.BAD_SESSION.equals(reason) || Cause.ARCHIVE_FAILED.equals(reason)) {
      fix = "clear the session (vigia clear " + org + ", or the page's clear button: the"
          + " credentials are archived, not deleted) and link it again with a QR";
    } else {
      fix = "the monitor stopped retrying: check the network (vigia doctor) and the engine,"
          + " then press 'Connect WhatsApp'; if it fails again, clear and link again";
    }
    return new Problem("session", org, ERROR, "session_failed", "the session failed" + why, fix);
  }
}
