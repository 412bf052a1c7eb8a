package dev.vigia.app.ops;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.ops.Doctor;
import dev.vigia.common.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The old emergency commands, made safe ({@code vigia status}, {@code clear}, {@code
 * restart-engine}, {@code logs}, {@code doctor}): each asks the running server with an admin
 * token, or reads the data dir when no server runs, and says which on standard error first.
 * Actions that concern an org are journaled with who gave them.
 */
public final class OpsCommands {

  private OpsCommands() {}

  /** Where the answers come from; shared by every command. */
  public static final class Connection {
    @Option(names = "--server", paramLabel = "<url>",
        description = "a running Vigía's address (default: the server holding the data dir, found"
            + " through its server.json)")
    String server;

    @Option(names = "--token-file", paramLabel = "<file>",
        description = "file holding the admin token (default: the VIGIA_TOKEN variable)")
    Path tokenFile;

    /** The configuration's reader: {@code Main.loadConfig()} (it knows {@code --config}). */
    Supplier<VigiaConfig> config;

    Target open(PrintStream say) {
      return Target.find(config.get(), server, token(), say);
    }

    private String token() {
      if (tokenFile != null) {
        try {
          return Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new OpsException("cannot read --token-file " + tokenFile + ": " + e.getMessage());
        }
      }
      return System.getenv(Target.TOKEN_ENV);
    }
  }

  /** Base of the commands: the connection options and the configuration. */
  public abstract static class Base implements Callable<Integer> {
    @Mixin Connection connection = new Connection();

    /** Set by {@code Main} before the command runs. */
    public void configFrom(Supplier<VigiaConfig> config) {
      connection.config = config;
    }

    static PrintStream out() {
      return System.out;
    }

    static PrintStream err() {
      return System.err;
    }
  }

  @Command(name = "status", description = "Every session's state, the engine's, the store's, the"
      + " disk's and the network's (was: pm2 status; ls -la auth_sessions/; df -h).")
  public static final class Status extends Base {
    @Option(names = "--org", paramLabel = "<id>", description = "only this organization")
    String org;

    @Option(names = "--json", description = "the report as JSON")
    boolean json;

    @Override
    public Integer call() {
      try (Target target = connection.open(err())) {
        JsonObject status = target.isServer() ? target.server().get("/api/ops/status")
            : withData(target, DataDirOps::status);
        if (org != null) {
          JsonArray only = new JsonArray();
          status.getJsonArray("sessions", new JsonArray()).forEach(s -> {
            if (org.equals(((JsonObject) s).getString("org"))) {
              only.add(s);
            }
          });
          if (only.isEmpty()) {
            throw new OpsException("organization " + org + " has no session and does not exist");
          }
          status.put("sessions", only);
        }
        if (json) {
          out().println(status.encodePrettily());
        } else {
          Reports.status(status, out());
        }
        return 0;
      }
    }
  }

  @Command(name = "doctor", description = "All the checks in one report, with the fix for each"
      + " problem found; exits 1 when there is a problem.")
  public static final class DoctorCommand extends Base {
    @Option(names = "--json", description = "the report and its problems as JSON")
    boolean json;

    @Override
    public Integer call() {
      try (Target target = connection.open(err())) {
        JsonObject status = target.isServer() ? target.server().get("/api/ops/doctor")
            : withData(target, DataDirOps::status);
        List<Doctor.Problem> problems = Doctor.examine(status);
        if (json) {
          status.put("problems", new JsonArray(problems.stream().map(Doctor.Problem::toJson)
              .toList()));
          out().println(status.encodePrettily());
        } else {
          Reports.doctor(status, problems, out());
        }
        return problems.isEmpty() ? 0 : 1;
      }
    }
  }

  @Command(name = "clear", description = "Move an organization's auth state to the archive"
      + " and stop its session (was: rm -rf auth_sessions/<org>); journaled with who.")
  public static final class Clear extends Base {
    @Parameters(index = "0", paramLabel = "<org>") String org;

    @Option(names = "--reason", description = "why, for the journal") String reason;

    @Option(names = "--yes", description = "do not ask for confirmation") boolean yes;

    @Override
    public Integer call() {
      String why = reason == null || reason.isBlank() ? "clear requested on the command line"
          : reason;
      try (Target target = connection.open(err())) {
        Confirm.orRefuse(yes, "Clear organization " + org + "? Its session stops and its auth"
            + " state moves to the archive; it needs a new QR to link again.", org);
        if (target.isServer()) {
          JsonObject answer = target.server().post("/api/sessions/" + org + "/clear",
              new JsonObject(), Duration.ofSeconds(30));
          out().println("org " + org + ": " + answer.getString("message", "cleared"));
        } else {
          String archived = withData(target, ops -> ops.clear(org, Confirm.actor(), why));
          out().println("org " + org + ": cleared" + (archived == null
              ? " (there was no auth state)" : "; the auth state is in " + archived));
        }
        return 0;
      }
    }
  }

  @Command(name = "restart-engine", description = "Restart the WhatsApp engine (the Baileys"
      + " Node process); every open session closes and reconnects (was: pm2 restart"
      + " whatsapp-server); journaled for each org it touched.")
  public static final class RestartEngine extends Base {
    @Option(names = "--reason", description = "why, for the journal") String reason;

    @Option(names = "--yes", description = "do not ask for confirmation") boolean yes;

    @Override
    public Integer call() {
      try (Target target = connection.open(err())) {
        if (!target.isServer()) {
          throw new OpsException("no server is running on this data dir: there is no engine to"
              + " restart; start Vigía (java -jar vigia.jar serve)");
        }
        Confirm.orRefuse(yes, "Restart the WhatsApp engine? Every connected session drops for a"
            + " few seconds and reconnects by itself.", "restart");
        JsonObject body = new JsonObject();
        if (reason != null) {
          body.put("reason", reason);
        }
        JsonObject r = target.server().post("/api/ops/engine/restart", body,
            Duration.ofSeconds(60));
        JsonArray orgs = r.getJsonArray("orgs", new JsonArray());
        out().println("engine " + r.getString("engine", "") + " restarted; " + orgs.size()
            + " session(s) reconnecting" + (orgs.isEmpty() ? "" : ": " + orgs.encode()));
        if (!r.getBoolean("ready", false)) {
          err().println("vigia: " + r.getString("detail", "the engine does not answer yet"));
          return 1;
        }
        return 0;
      }
    }
  }

  @Command(name = "logs", description = "An organization's journal and the server's log lines"
      + " about it (was: pm2 logs whatsapp-server --lines 50).")
  public static final class Logs extends Base {
    @Parameters(index = "0", paramLabel = "<org>") String org;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines (needs a running"
        + " server)") boolean follow;

    @Option(names = "--lines", defaultValue = "50", description = "how many of each (1..1000)")
    int lines;

    @Override
    public Integer call() {
      if (lines < 1 || lines > 1000) {
        throw new OpsException("--lines must be 1 to 1000");
      }
      try (Target target = connection.open(err())) {
        if (!target.isServer()) {
          for (JournalEntry e : withData(target, ops -> ops.journal(org, lines))) {
            out().println(Reports.journalLine(Json.toJson(e)));
          }
          err().println("vigia: the server's log lines are kept by the running server only;"
              + " with it stopped, see where its standard output went"
              + (follow ? " (nothing to follow: no server is running)" : ""));
          return 0;
        }
        JsonObject recent = target.server().get("/api/sessions/" + org + "/logs?lines=" + lines);
        recent.getJsonArray("journal", new JsonArray()).forEach(e ->
            out().println(Reports.journalLine((JsonObject) e)));
        recent.getJsonArray("log", new JsonArray()).forEach(l ->
            out().println(Reports.logLine((JsonObject) l)));
        if (follow) {
          out().flush();
          target.server().follow("/api/sessions/" + org + "/logs/stream", (event, data) -> {
            JsonObject json = new JsonObject(data);
            out().println("journal".equals(event) ? Reports.journalLine(json)
                : Reports.logLine(json));
            out().flush();
          });
        }
        return 0;
      }
    }
  }

  private static <T> T withData(Target target, java.util.function.Function<DataDirOps, T> work) {
    try (DataDirOps ops = new DataDirOps(target.config())) {
      return work.apply(ops);
    }
  }
}
