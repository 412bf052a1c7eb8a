package dev.vigia.app.ops;

import dev.vigia.common.ops.Doctor;
import dev.vigia.monitor.system.DiskCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The runbook's answers as a person reads them in a terminal: aligned columns, one line each. */
final class Reports {

  private Reports() {}

  /** {@code vigia status}: the engine, the store, the disk, the network, then every session. */
  static void status(JsonObject status, PrintStream out) {
    JsonObject engine = status.getJsonObject("engine", new JsonObject());
    JsonObject store = status.getJsonObject("store", new JsonObject());
    JsonObject disk = status.getJsonObject("disk", new JsonObject());
    JsonObject network = status.getJsonObject("network", new JsonObject());
    List<String[]> machine = new ArrayList<>();
    machine.add(new String[] {"engine", engine.getString("name", ""),
        engine.getString("status", "?"), engine.getString("detail", "")});
    machine.add(new String[] {"store", store.getString("name", ""),
        store.getString("status", "?"), store.getString("detail", "")});
    machine.add(new String[] {"disk", disk.getValue("freeBytes") == null ? ""
        : DiskCheck.bytes(disk.getLong("freeBytes")) + " free", disk.getString("status", "?"),
        disk.getString("detail", "")});
    machine.add(new String[] {"network", network.getString("target", "off"),
        network.getString("status", "?"), network.getString("detail", "")});
    if (status.getString("restoring") != null) {
      machine.add(new String[] {"sessions", "", "RESTORING", status.getString("restoring")});
    }
    table(machine, out);
    out.println();
    JsonArray sessions = status.getJsonArray("sessions", new JsonArray());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ORG", "NAME", "STATE", "SINCE", "ACCOUNT", "CAUSE"});
    Map<String, Integer> counts = new TreeMap<>();
    for (Object o : sessions) {
      JsonObject s = (JsonObject) o;
      JsonObject me = s.getJsonObject("me");
      rows.add(new String[] {s.getString("org", ""), s.getString("name", ""),
          s.getString("state", ""), s.getString("since", ""),
          me == null ? "" : me.getString("jid", ""), cause(s.getJsonObject("cause"))});
      counts.merge(s.getString("state", "?"), 1, Integer::sum);
    }
    if (sessions.isEmpty()) {
      out.println("no sessions and no organizations yet");
    } else {
      table(rows, out);
      List<String> parts = new ArrayList<>();
      counts.forEach((state, n) -> parts.add(n + " " + state));
      out.println();
      out.println(sessions.size() + " session(s): " + String.join(", ", parts));
    }
  }

  /** {@code vigia doctor}: the status, then each problem with its fix (or that there is none). */
  static void doctor(JsonObject status, List<Doctor.Problem> problems, PrintStream out) {
    status(status, out);
    out.println();
    if (problems.isEmpty()) {
      out.println("no problems found");
      return;
    }
    out.println(problems.size() + " problem(s):");
    int n = 1;
    for (Doctor.Problem p : problems) {
      out.println(" " + n++ + ". [" + p.severity() + "] " + p.check()
          + (p.org() == null ? "" : " of org " + p.org()) + ": " + p.problem());
      out.println("    fix: " + p.fix());
    }
  }

  /** A journal entry as one line: when, what, the cause, who. */
  static String journalLine(JsonObject e) {
    StringBuilder line = new StringBuilder(e.getString("at", "")).append("  journal  ");
    String from = e.getString("from");
    String to = e.getString("to");
    if (from != null || to != null) {
      line.append(from == null ? "—" : from).append(" -> ").append(to == null ? "—" : to)
          .append("  ");
    } else {
      line.append(e.getString("kind", "")).append("  ");
    }
    line.append(e.getString("message", ""));
    JsonObject cause = e.getJsonObject("cause");
    if (cause != null && !cause.getString("message", "").equals(e.getString("message"))) {
      line.append(" [").append(cause(cause)).append(']');
    }
    if (e.getString("actor") != null) {
      line.append("  (by ").append(e.getString("actor")).append(')');
    }
    return line.toString();
  }

  /** A server log line (the JSON line of stdout) as one line: when, level, logger, message. */
  static String logLine(JsonObject l) {
    Object ts = l.getValue("timestamp");
    String when = ts instanceof Number n ? java.time.Instant.ofEpochMilli(n.longValue()).toString()
        : String.valueOf(ts == null ? "" : ts);
    String logger = l.getString("loggerName", "");
    logger = logger.substring(logger.lastIndexOf('.') + 1);
    return when + "  " + l.getString("level", "") + "  " + logger + "  "
        + l.getString("formattedMessage", l.getString("message", ""))
        + (l.getString("error") == null ? "" : "  (" + l.getString("error") + ")");
  }

  private static String cause(JsonObject cause) {
    if (cause == null) {
      return "";
    }
    Object code = cause.getValue("code");
    return (code == null ? "" : code + " ") + cause.getString("reason", "");
  }

  private static void table(List<String[]> rows, PrintStream out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
