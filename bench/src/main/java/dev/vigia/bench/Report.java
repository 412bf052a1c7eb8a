package dev.vigia.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A bench's results: rows printed as a table as they come, and every row kept in
 * {@code bench/target/<name>.json} with the machine it ran on (earlier runs of the same bench
 * stay in the file, so runs made at different times can be compared).
 */
final class Report {

  private final Path file;
  private final JsonObject run;
  private final String format;

  Report(String name, String format, String... headers) throws IOException {
    this.file = Path.of("bench/target").toAbsolutePath().resolve(name + ".json");
    Files.createDirectories(file.getParent());
    this.format = format;
    this.run = new JsonObject().put("startedAt", Instant.now().toString())
        .put("machine", machine()).put("rows", new JsonArray());
    System.out.printf(format + "%n", (Object[]) headers);
  }

  /** Prints {@code cells} in the table's format and keeps {@code json} in the file. */
  void row(JsonObject json, Object... cells) throws IOException {
    System.out.printf(format + "%n", cells);
    run.getJsonArray("rows").add(json.put("loadAverage", VigiaProcess.loadAverage()));
    save();
  }

  JsonObject run() {
    return run;
  }

  void save() throws IOException {
    JsonArray runs = Files.exists(file)
        ? new JsonObject(Files.readString(file)).getJsonArray("runs", new JsonArray())
        : new JsonArray();
    if (!runs.isEmpty() && runs.getJsonObject(runs.size() - 1).getString("startedAt")
        .equals(run.getString("startedAt"))) {
      runs.remove(runs.size() - 1);
    }
    runs.add(run);
    Files.writeString(file, new JsonObject().put("runs", runs).encodePrettily());
  }

  Path file() {
    return file;
  }

  static JsonObject machine() throws IOException {
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    return new JsonObject()
        .put("cpus", Runtime.getRuntime().availableProcessors())
        .put("memory", mem)
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("benchJvmArgs", String.join(" ",
            ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }
}
