package dev.vigia.app;

import dev.vigia.common.config.ConfigException;
import dev.vigia.common.config.VigiaConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code java -jar vigia.jar [serve | import-baileys <folder> --org <id> | user add …]}. */
@Command(name = "vigia", mixinStandardHelpOptions = true, version = "Vigía 0.1.0",
    description = "Keeps the WhatsApp sessions of many organizations alive.",
    subcommands = {Main.Serve.class, Main.ImportBaileys.class, Main.User.class})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", description = "JSON file with the same keys as the VIGIA_* variables")
  Path config;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // one clear line, never a stack trace, for what a person must fix
      cmd.getErr().println("vigia: " + e.getMessage());
      return e instanceof ConfigException ? 2 : 1;
    });
    int code = cli.execute(args);
    if (code != 0 || !serving) {
      System.exit(code);
    }
    // serving: Vert.x threads keep the process alive until a signal; the shutdown hook stops it
  }

  private static volatile boolean serving;

  /** Without a subcommand: serve. */
  @Override
  public Integer call() throws Exception {
    return Serve.run(loadConfig(null));
  }

  VigiaConfig loadConfig(Path override) {
    return VigiaConfig.load(System.getenv(), override != null ? override : config);
  }

  @Command(name = "serve", description = "Start Vigía (the default).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Option(names = "--config", description = "JSON file with the same keys as the VIGIA_* variables")
    Path config;

    @Override
    public Integer call() throws Exception {
      return run(parent.loadConfig(config));
    }

    static Integer run(VigiaConfig cfg) throws Exception {
      Vigia vigia = Vigia.startAndWait(cfg);
      Runtime.getRuntime().addShutdownHook(new Thread(vigia::stopAndWait, "vigia-shutdown"));
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

    @Option(names = "--config", description = "JSON file with the same keys as the VIGIA_* variables")
    Path config;

    @Override
    public Integer call() throws Exception {
      return Offline.importBaileys(parent.loadConfig(config), folder, org);
    }
  }

  @Command(name = "user", description = "Manage dashboard users.", subcommands = User.Add.class)
  static final class User implements Callable<Integer> {
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

      @Option(names = "--config", description = "JSON file with the same keys as the VIGIA_* variables")
      Path config;

      @Override
      public Integer call() throws Exception {
        Main main = new Main();
        return Offline.addUser(main.loadConfig(config), username, role, orgs);
      }
    }
  }
}
