package dev.vigia.app;

import dev.vigia.common.config.ConfigException;
import dev.vigia.app.ops.OpsCommands;
import dev.vigia.app.ops.TokenCommand;
import dev.vigia.common.config.VigiaConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar vigia.jar [serve | import-baileys <folder> --org <id> | user add … | user
 * token … | status | logs <org> | clear <org> | restart-engine | doctor | migrate-store --to <url>
 * | sim-whatsapp]}.
 */
@Command(name = "vigia", mixinStandardHelpOptions = true, version = "Vigía 0.1.0",
    description = "Keeps the WhatsApp sessions of many organizations alive.",
    subcommands = {Main.Serve.class, Main.ImportBaileys.class, Main.User.class,
        OpsCommands.Status.class, OpsCommands.Logs.class, OpsCommands.Clear.class,
        OpsCommands.RestartEngine.class, OpsCommands.DoctorCommand.class,
        Main.MigrateStoreCommand.class, Main.SimWhatsApp.class})
public final class Main implements Callable<Integer> {

  // one option for every subcommand: `vigia --config f.json user add …` and `vigia user add … --config f.json`
  @Option(names = "--config", scope = CommandLine.ScopeType.INHERIT,
      description = "JSON file with the same keys as the VIGIA_* variables (the environment wins)")
  Path config;

  public static void main(String[] args) {
    // Netty's allocation events for Flight Recorder load ~100 JDK classes on the event loop that
    // answers the first request (/health); -Dio.netty.jfr.enabled=true brings them back
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    Main main = new Main();
    if (args.length == 0) {
      // the usual start, serving: picocli's model of every subcommand (reflection, and the
      // classes the subcommands name) would cost a few hundred milliseconds before /health
      exit(serveWithoutParsing(main));
      return;
    }
    CommandLine cli = new CommandLine(main, new CommandLine.IFactory() {
      // the runbook's commands read the configuration as `user add` does: --config, then the env
      @Override
      public <K> K create(Class<K> type) throws Exception {
        K made = CommandLine.defaultFactory().create(type);
        if (made instanceof OpsCommands.Base command) {
          command.configFrom(main::loadConfig);
        }
        return made;
      }
    });
    cli.setExecutionStrategy(parsed -> {
      // a tool's standard output is its answer (JSON, a token): its log lines go to stderr
      CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
      Object command = last.getCommand();
      if (!(command instanceof Main || command instanceof Serve
          || command instanceof SimWhatsApp)) {
        JsonLogs.toStandardError();
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
    exit(cli.execute(args));
  }

  /** As picocli runs {@link #call()} without arguments, errors included. */
  private static int serveWithoutParsing(Main main) {
    try {
      return main.call();
    } catch (Exception e) {
      return failed(e, new java.io.PrintWriter(System.err, true));
    }
  }

  /** One clear line, never a stack trace, for what a person must fix; the exit code. */
  private static int failed(Exception e, java.io.PrintWriter err) {
    err.println("vigia: " + e.getMessage());
    return e instanceof ConfigException ? 2 : 1;
  }

  private static void exit(int code) {
    if (code != 0 || !serving) {
      System.exit(code);
    }
    // serving: Vert.x threads keep the process alive until a signal; the shutdown hook stops it
  }

  private static volatile boolean serving;

  /** Without a subcommand: serve. */
  @Override
  public Integer call() throws Exception {
    return Serve.run(loadConfig());
  }

  public VigiaConfig loadConfig() {
    return VigiaConfig.load(System.getenv(), config);
  }

  @Command(name = "serve", description = "Start Vigía (the default).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Override
    public Integer call() throws Exception {
      return run(parent.loadConfig());
    }

    static Integer run(VigiaConfig cfg) throws Exception {
      Vigia vigia = Vigia.startAndWait(cfg);
      Runtime.getRuntime().addShutdownHook(new Thread(vigia::stopAndWait, "vigia-shutdown"));
      serving = true;
      return 0;
    }
  }

  @Command(name = "sim-whatsapp", description = "Serve one simulated WhatsApp that several Vigía"
      + " nodes share (VIGIA_SIM_WHATSAPP=host:port on each, with VIGIA_ENGINE=simulated).")
  static final class SimWhatsApp implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;

    @Option(names = "--port", defaultValue = "7070") int port;

    @Option(names = "--silence-ms", defaultValue = "10000",
        description = "a node silent this long is dropped and its devices go offline")
    long silenceMillis;

    @Override
    public Integer call() throws Exception {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      var server = new dev.vigia.gateway.engine.simulated.SharedWhatsAppServer(host, port,
          silenceMillis);
      vertx.deployVerticle(server).toCompletionStage().toCompletableFuture()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          vertx.close().toCompletionStage().toCompletableFuture()
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // exiting anyway: the nodes see their links end either way
        }
      }, "sim-whatsapp-shutdown"));
      serving = true;
      return 0;
    }
  }

  @Command(name = "import-baileys",
      description = "Import an existing Baileys auth folder (auth_sessions/<org>) for one organization.")
  static final class ImportBaileys implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Parameters(index = "0", paramLabel = "<folder>", description = "the Baileys auth folder")
    Path folder;

    @Option(names = "--org", required = true, description = "organization id")
    String org;

    @Override
    public Integer call() throws Exception {
      return Offline.importBaileys(parent.loadConfig(), folder, org);
    }
  }

  @Command(name = "migrate-store", description = "Copy the file data dir (VIGIA_DATA_DIR) into"
      + " PostgreSQL while Vigía is stopped; verifies every org, then moves the copied folders"
      + " aside. Safe to run again.")
  static final class MigrateStoreCommand implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Option(names = "--to", required = true, paramLabel = "<url>",
        description = "postgresql://user:password@host:port/database")
    String url;

    @Override
    public Integer call() throws Exception {
      return MigrateStore.run(parent.loadConfig(), url, System.out);
    }
  }

  @Command(name = "user", description = "Manage dashboard users.",
      subcommands = {User.Add.class, TokenCommand.class})
  static final class User implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Override
    public Integer call() {
      new CommandLine(this).usage(System.out);
      return 2;
    }

    @Command(name = "add", description = "Add a user (reads the password from VIGIA_NEW_PASSWORD or"
        + " standard input).")
    static final class Add implements Callable<Integer> {
      @CommandLine.ParentCommand User user;

      @Parameters(index = "0", paramLabel = "<username>") String username;

      @Option(names = "--role", defaultValue = "operator", description = "admin or operator")
      String role;

      @Option(names = "--org", split = ",", description = "organizations of an operator")
      java.util.List<String> orgs = new java.util.ArrayList<>();

      @Override
      public Integer call() throws Exception {
        return Offline.addUser(user.parent.loadConfig(), username, role, orgs);
      }
    }
  }
}
